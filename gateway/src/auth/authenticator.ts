import { KinoError } from "@kino/platform";
import { Role, type Account } from "@kino/proto/auth/v1";
import type { AccountDirectory } from "./account-directory.ts";
import type { AccessTokenVerifier } from "./access-token-verifier.ts";
import type { ApiKeyVerifier } from "./api-key-verifier.ts";
import { anonymous, scopes, type GatewayCaller, type Scope, type SignedInCaller } from "./caller.ts";
import { presentedCredential } from "./credentials.ts";

export interface Authenticator {
  /**
   * The caller behind a request's headers: anonymous without credentials,
   * Unauthenticated for credentials that are not valid. `requireCsrf` is
   * true for state-changing calls: a session cookie alone does not make one.
   */
  authenticate(get: (name: string) => string | null | undefined, options: { requireCsrf: boolean }): Promise<GatewayCaller>;
}

const personScopes: ReadonlySet<Scope> = new Set(scopes.filter((scope) => scope !== "admin"));
const adminScopes: ReadonlySet<Scope> = new Set(scopes);

function callerOf(account: Account, via: SignedInCaller["via"], granted: ReadonlySet<Scope>): SignedInCaller {
  const role = account.role === Role.ADMIN ? "admin" : "user";
  return {
    kind: "user",
    userId: account.userId,
    role,
    tier: account.tier,
    limits: {
      maxUploadBytes: account.limits?.maxUploadBytes ?? 0n,
      maxStorageBytes: account.limits?.maxStorageBytes ?? 0n,
      maxUploadsPerDay: account.limits?.maxUploadsPerDay ?? 0,
    },
    via,
    // A key keeps `admin` only while its owner is an admin.
    scopes: role === "admin" ? granted : new Set([...granted].filter((scope) => scope !== "admin")),
  };
}

/** One chain for every kind of credential: access token (Bearer), API key (Bearer kino_…), web session cookie. */
export function createAuthenticator(deps: { accessTokens: AccessTokenVerifier; apiKeys: ApiKeyVerifier; accounts: AccountDirectory }): Authenticator {
  return {
    async authenticate(get, { requireCsrf }) {
      const credential = presentedCredential(get);
      switch (credential.kind) {
        case "none":
          return anonymous;
        case "api_key": {
          const { response, scopes: granted } = await deps.apiKeys.verify(credential.secret);
          if (!response.account || response.account.disabled) throw new KinoError("unauthenticated", "API key is not valid");
          return callerOf(response.account, "api_key", granted);
        }
        case "access_token":
        case "session_cookie": {
          if (credential.kind === "session_cookie" && requireCsrf && !credential.csrfMatches) {
            throw new KinoError("permission_denied", "a call made with a session cookie must echo the kino_csrf cookie in the x-kino-csrf header");
          }
          const claims = await deps.accessTokens.verify(credential.token);
          const account = await deps.accounts.activeAccount(claims.userId);
          return callerOf(account, credential.kind, account.role === Role.ADMIN ? adminScopes : personScopes);
        }
      }
    },
  };
}
