import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError, checkText } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import { apiKeyOf } from "./api-key-message.ts";
import { adminScopeName, validateScopes } from "./api-key-scopes.ts";
import { newApiKeyId, newApiKeySecret } from "./api-key-secrets.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { requireCaller } from "./callers.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./paging.ts";

/** Live keys one account may hold: enough for every server, few enough that a leak is noticed. */
export const maxLiveApiKeys = 50;

const keyIdPattern = /^[A-Za-z0-9_-]{22}$/;

const noSuchKey = () => new KinoError("not_found", "you have no API key with that key_id");

/** A signed-in user's keys for servers. */
export function apiKeyHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, "createApiKey" | "listApiKeys" | "revokeApiKey"> {
  const { users, apiKeys, clock } = deps;
  return {
    async createApiKey(request, context) {
      const caller = await requireCaller(context, users);
      const name = checkText(request.name, { field: "name", maxLength: 100, required: true, kind: "line" });
      const scopes = validateScopes(request.scopes);
      if (scopes.includes(adminScopeName) && caller.role !== "admin") {
        throw new KinoError("permission_denied", "only an admin may create a key with the admin scope");
      }
      const now = clock();
      const expiresAt = request.expireTime ? timestampDate(request.expireTime) : null;
      if (expiresAt && !(expiresAt.getTime() > now.getTime())) throw new KinoError("invalid_argument", "expire_time must be in the future");
      if ((await apiKeys.countLive(caller.id, now)) >= maxLiveApiKeys) {
        throw new KinoError("resource_exhausted", `you already have ${maxLiveApiKeys} live API keys; revoke one first`);
      }
      const { secret, prefix, hash } = newApiKeySecret();
      const row = await apiKeys.insert({ id: newApiKeyId(), userId: caller.id, name, prefix, secretHash: hash, scopes, createdAt: now, expiresAt });
      context.logger.info({ keyId: row.id, scopes }, "API key created");
      return { apiKey: apiKeyOf(row), secret };
    },

    async listApiKeys(request, context) {
      const caller = await requireCaller(context, users);
      const limit = pageSizeOf(request.pageSize);
      const position = decodePageToken(request.pageToken, ["t", "i"]);
      const cursor = position ? { createdAt: new Date(position.t), id: position.i } : undefined;
      if (cursor && Number.isNaN(cursor.createdAt.getTime())) throw new KinoError("invalid_argument", "page_token is not one this service issued");
      // One more than asked tells whether another page follows.
      const rows = await apiKeys.listPage(caller.id, cursor, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        apiKeys: page.map(apiKeyOf),
        nextPageToken: rows.length > limit && last ? encodePageToken({ t: last.created_at.toISOString(), i: last.id }) : "",
      };
    },

    async revokeApiKey(request, context) {
      const caller = await requireCaller(context, users);
      if (!keyIdPattern.test(request.keyId)) throw noSuchKey();
      if (!(await apiKeys.revoke(caller.id, request.keyId, clock()))) throw noSuchKey();
      context.logger.info({ keyId: request.keyId }, "API key revoked");
      return {};
    },
  };
}
