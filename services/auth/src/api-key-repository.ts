import type { Kysely, Selectable } from "kysely";
import type { ApiKeyRow, AuthDatabase, UsersTable } from "./schema.ts";

export interface NewApiKey {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  secretHash: Buffer;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
}

export interface ApiKeyCursor {
  createdAt: Date;
  id: string;
}

/** last_used_at is written at most this often per key: verification stays a read on busy keys. */
export const lastUsedResolutionMs = 60_000;

export class ApiKeyRepository {
  constructor(private readonly db: Kysely<AuthDatabase>) {}

  async insert(key: NewApiKey): Promise<ApiKeyRow> {
    return this.db
      .insertInto("api_keys")
      .values({
        id: key.id,
        user_id: key.userId,
        name: key.name,
        prefix: key.prefix,
        secret_hash: key.secretHash,
        scopes: key.scopes,
        created_at: key.createdAt,
        expires_at: key.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Keys that still verify: not revoked, not expired. */
  async countLive(userId: string, now: Date): Promise<number> {
    const { count } = await this.db
      .selectFrom("api_keys")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /** Newest first, after `cursor`. created_at comes from the service's clock in milliseconds, so it round-trips exactly. */
  listPage(userId: string, cursor: ApiKeyCursor | undefined, limit: number): Promise<ApiKeyRow[]> {
    let query = this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit);
    if (cursor) {
      query = query.where((eb) =>
        eb.or([eb("created_at", "<", cursor.createdAt), eb.and([eb("created_at", "=", cursor.createdAt), eb("id", "<", cursor.id)])]),
      );
    }
    return query.execute();
  }

  /** Revokes one of the user's keys; false when the user has no such key. Revoking again keeps the first time. */
  async revoke(userId: string, keyId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("api_keys")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(now)) }))
      .where("id", "=", keyId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The key with this secret hash and its owner, whatever their state: the caller decides. */
  async findBySecretHash(secretHash: Buffer): Promise<{ key: ApiKeyRow; owner: Selectable<UsersTable> } | undefined> {
    const key = await this.db.selectFrom("api_keys").selectAll().where("secret_hash", "=", secretHash).executeTakeFirst();
    if (!key) return undefined;
    const owner = await this.db.selectFrom("users").selectAll().where("id", "=", key.user_id).executeTakeFirstOrThrow();
    return { key, owner };
  }

  /** Records a use, unless one was recorded within the last minute. */
  async touch(keyId: string, now: Date): Promise<void> {
    await this.db
      .updateTable("api_keys")
      .set({ last_used_at: now })
      .where("id", "=", keyId)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", new Date(now.getTime() - lastUsedResolutionMs))]))
      .execute();
  }
}
