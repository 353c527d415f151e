import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import { createCredentialsStore, type CredentialsStore } from "../credentials/credentials-store.ts";
import { credentialsPath } from "../credentials/config-dir.ts";
import { storedSessionTokens, type SessionAccessTokens } from "../credentials/session.ts";
import { devApiKeyPath, readApiKeyFile } from "./api-key.ts";
import { sessionRefresher } from "./auth-client.ts";

/** Who a call is made as: an API key (sent as it is) or a signed-in session (its access token). */
export type Credential =
  | { kind: "api_key"; secret: string; /** For messages: where it came from. */ source: string }
  | { kind: "session"; session: SessionAccessTokens; source: string };

export function userCredentialsStore(env: NodeJS.ProcessEnv): CredentialsStore {
  return createCredentialsStore(credentialsPath(env));
}

/** The session stored for this gateway, refreshed through it when needed; undefined when none. */
export async function sessionCredential(gatewayUrl: string, store: CredentialsStore): Promise<Credential | undefined> {
  const session = await storedSessionTokens({ store, gatewayUrl, refresh: sessionRefresher(gatewayUrl) });
  return session && { kind: "session", session, source: `the session in ${store.path}` };
}

export interface ResolveCredentialOptions {
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  store: CredentialsStore;
  /** --api-key-file: an explicit choice, after KINO_API_KEY and before the stored session. */
  apiKeyFile?: string;
  /** The repository whose `.kino/dev/api-key` (written by older `kino up`s) is the last resort; none when absent. */
  devKeyRepoRoot?: string;
}

/**
 * KINO_API_KEY, else --api-key-file, else the session stored for this
 * gateway (`kino login`), else the key an older `kino up` wrote.
 */
export async function resolveCredential(options: ResolveCredentialOptions): Promise<Credential> {
  const { env, gatewayUrl, store } = options;
  if (env.KINO_API_KEY) return { kind: "api_key", secret: env.KINO_API_KEY.trim(), source: "KINO_API_KEY" };
  if (options.apiKeyFile) {
    const secret = await readApiKeyFile(options.apiKeyFile);
    if (!secret) throw new KinoError("failed_precondition", `${options.apiKeyFile} does not exist`);
    return { kind: "api_key", secret, source: options.apiKeyFile };
  }
  const session = await sessionCredential(gatewayUrl, store);
  if (session) return session;
  if (options.devKeyRepoRoot) {
    const path = devApiKeyPath(options.devKeyRepoRoot);
    const secret = await readApiKeyFile(path);
    if (secret) return { kind: "api_key", secret, source: path };
  }
  throw new KinoError(
    "unauthenticated",
    `not signed in to ${gatewayUrl}: run ./kino login (or ./kino signup), or set KINO_API_KEY to an API key (./kino keys create)`,
  );
}

/**
 * Puts the credential on every call. With a session, a unary call the
 * gateway refuses as unauthenticated is retried once with a refreshed
 * token (the one held may have been revoked or the clocks disagree).
 */
export function credentialInterceptor(credential: Credential): Interceptor {
  return (next) => async (request) => {
    if (credential.kind === "api_key") {
      request.header.set("authorization", `Bearer ${credential.secret}`);
      return next(request);
    }
    const token = await credential.session.accessToken();
    request.header.set("authorization", `Bearer ${token}`);
    try {
      return await next(request);
    } catch (error) {
      if (request.stream || ConnectError.from(error).code !== Code.Unauthenticated) throw error;
      const fresh = await credential.session.accessToken(token);
      request.header.set("authorization", `Bearer ${fresh}`);
      return next(request);
    }
  };
}
