import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuthDatabase } from "./schema.ts";

export type RotationOutcome =
  | { kind: "rotated"; issued: IssuedRefreshToken }
  /** A spent token came back: its family is revoked now. */
  | { kind: "reused"; familyId: string }
  /** Unknown, expired, or of a revoked family. */
  | { kind: "refused" };

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  familyId: string;
  userId: string;
}

function hashOf(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** 32 random bytes, base64url: 43 characters. */
function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Opaque refresh tokens, stored as SHA-256 hashes, in families (one per
 * sign-in). Each is spent by its use and replaced; a spent one presented
 * again means two parties hold the family, so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly db: Kysely<AuthDatabase>,
    private readonly lifetimeMs: number,
  ) {}

  /** A new family for a sign-in, with its first token. */
  async start(userId: string, now: Date, clientDescription = ""): Promise<IssuedRefreshToken> {
    const familyId = randomBytes(16).toString("base64url");
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("refresh_families")
        .values({ id: familyId, user_id: userId, created_at: now, last_used_at: now, client_description: clientDescription })
        .execute();
      const token = newToken();
      const expiresAt = new Date(now.getTime() + this.lifetimeMs);
      await trx.insertInto("refresh_tokens").values({ token_hash: hashOf(token), family_id: familyId, created_at: now, expires_at: expiresAt }).execute();
      return { token, expiresAt, familyId, userId };
    });
  }

  /** Spends `presented` and issues its successor, if it is live and unspent. */
  rotate(presented: string, now: Date): Promise<RotationOutcome> {
    return this.db.transaction().execute(async (trx): Promise<RotationOutcome> => {
      // FOR UPDATE: two concurrent uses of one token are serialised, and the second is reuse.
      const row = await trx
        .selectFrom("refresh_tokens as t")
        .innerJoin("refresh_families as f", "f.id", "t.family_id")
        .innerJoin("users as u", "u.id", "f.user_id")
        .select(["t.token_hash", "t.family_id", "t.expires_at", "t.used_at", "f.user_id", "f.revoked_at", "u.disabled_at"])
        .where("t.token_hash", "=", hashOf(presented))
        .forUpdate("t")
        .executeTakeFirst();
      // Disabling revokes the families too; checking here as well closes the gap of a refresh racing it.
      if (!row || row.revoked_at !== null || row.expires_at <= now || row.disabled_at !== null) return { kind: "refused" };
      if (row.used_at !== null) {
        await trx
          .updateTable("refresh_families")
          .set({ revoked_at: now, revoke_reason: "reuse" })
          .where("id", "=", row.family_id)
          .execute();
        return { kind: "reused", familyId: row.family_id };
      }
      await trx.updateTable("refresh_tokens").set({ used_at: now }).where("token_hash", "=", row.token_hash).execute();
      await trx.updateTable("refresh_families").set({ last_used_at: now }).where("id", "=", row.family_id).execute();
      const token = newToken();
      const expiresAt = new Date(now.getTime() + this.lifetimeMs);
      await trx.insertInto("refresh_tokens").values({ token_hash: hashOf(token), family_id: row.family_id, created_at: now, expires_at: expiresAt }).execute();
      return { kind: "rotated", issued: { token, expiresAt, familyId: row.family_id, userId: row.user_id } };
    });
  }

  /** Ends the family `token` belongs to, if any. Returns whether one was live. */
  async revokeFamilyOf(token: string, now: Date, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable("refresh_families")
      .set({ revoked_at: now, revoke_reason: reason })
      .where("revoked_at", "is", null)
      .where("id", "=", (eb) => eb.selectFrom("refresh_tokens").select("family_id").where("token_hash", "=", hashOf(token)))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
