import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ApiKeySchema } from "@kino/proto/auth/v1";
import { scopesOf } from "./api-key-scopes.ts";
import type { ApiKeyRow } from "./schema.ts";

/** A key as its owner sees it: everything but the secret, which is not stored. */
export function apiKeyOf(row: ApiKeyRow): MessageInitShape<typeof ApiKeySchema> {
  return {
    keyId: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesOf(row.scopes),
    createTime: timestampFromDate(row.created_at),
    expireTime: row.expires_at ? timestampFromDate(row.expires_at) : undefined,
    lastUsedTime: row.last_used_at ? timestampFromDate(row.last_used_at) : undefined,
    revoked: row.revoked_at !== null,
    revokeTime: row.revoked_at ? timestampFromDate(row.revoked_at) : undefined,
  };
}
