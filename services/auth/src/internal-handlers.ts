import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError, isOwnerId } from "@kino/platform";
import { ApiKeyScope, type AuthInternalService } from "@kino/proto/auth/v1";
import { accountOf } from "./account-message.ts";
import { lastUsedResolutionMs } from "./api-key-repository.ts";
import { scopesOf } from "./api-key-scopes.ts";
import { apiKeySecretHash, apiKeySecretPattern } from "./api-key-secrets.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";

// One message for every refusal: which check failed would help whoever holds a leaked or guessed key.
const notValid = () => new KinoError("unauthenticated", "API key is not valid");

/** What the gateway asks about API keys and accounts. */
export function internalHandlers(deps: AuthDependencies): ServiceHandlers<typeof AuthInternalService> {
  const { users, apiKeys, tiers, clock } = deps;
  return {
    async verifyApiKey(request, context) {
      if (!apiKeySecretPattern.test(request.secret)) throw notValid();
      const found = await apiKeys.findBySecretHash(apiKeySecretHash(request.secret));
      const now = clock();
      if (!found) throw notValid();
      const { key, owner } = found;
      if (key.revoked_at !== null || (key.expires_at !== null && key.expires_at <= now) || owner.disabled_at !== null) throw notValid();
      if (key.last_used_at === null || now.getTime() - key.last_used_at.getTime() >= lastUsedResolutionMs) {
        await apiKeys.touch(key.id, now);
        context.logger.debug({ keyId: key.id }, "API key used");
      }
      // The admin scope lasts only as long as its owner is an admin.
      const scopes = scopesOf(key.scopes).filter((scope) => scope !== ApiKeyScope.ADMIN || owner.role === "admin");
      return {
        account: accountOf(owner, tiers),
        keyId: key.id,
        scopes,
        expireTime: key.expires_at ? timestampFromDate(key.expires_at) : undefined,
      };
    },

    async getAccount(request) {
      if (request.userId === "") throw new KinoError("invalid_argument", "user_id is required");
      // An id of a shape no account has is not looked up.
      const user = isOwnerId(request.userId) ? await users.findById(request.userId) : undefined;
      if (!user) throw new KinoError("not_found", "no account has that user_id");
      return { account: accountOf(user, tiers) };
    },
  };
}
