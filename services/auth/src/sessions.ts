import type { ExpressionBuilder, Kysely } from "kysely";
import type { AuthDatabase } from "./schema.ts";

/** A family with a token that is neither spent nor expired: one Refresh could still continue. */
function hasLiveToken(now: Date) {
  return (eb: ExpressionBuilder<AuthDatabase, "refresh_families">) =>
    eb.exists(
      eb
        .selectFrom("refresh_tokens")
        .select("refresh_tokens.family_id")
        .whereRef("refresh_tokens.family_id", "=", "refresh_families.id")
        .where("refresh_tokens.used_at", "is", null)
        .where("refresh_tokens.expires_at", ">", now),
    );
}

export interface SessionRow {
  id: string;
  client_description: string;
  created_at: Date;
  last_used_at: Date;
}

/** The most sessions ListSessions shows; an account rarely has more than a handful live. */
export const maxListedSessions = 500;

/** Sessions as their owner sees them: refresh families, listed and revoked per account. */
export class Sessions {
  constructor(private readonly db: Kysely<AuthDatabase>) {}

  /** Live sessions: not revoked, with a token that is neither spent nor expired. Newest first. */
  listLive(userId: string, now: Date): Promise<SessionRow[]> {
    return this.db
      .selectFrom("refresh_families")
      .select(["id", "client_description", "created_at", "last_used_at"])
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .where(hasLiveToken(now))
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(maxListedSessions)
      .execute();
  }

  /** Ends one of the account's sessions. False when the account has no session with that id. */
  async revoke(userId: string, sessionId: string, now: Date, reason: string): Promise<boolean> {
    const owned = await this.db
      .updateTable("refresh_families")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(now)), revoke_reason: eb.fn.coalesce("revoke_reason", eb.val(reason)) }))
      .where("id", "=", sessionId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return owned.numUpdatedRows > 0n;
  }

  /** Ends every live session of the account; returns how many there were (expired ones are over already). */
  async revokeAll(userId: string, now: Date, reason: string): Promise<number> {
    const result = await this.db
      .updateTable("refresh_families")
      .set({ revoked_at: now, revoke_reason: reason })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .where(hasLiveToken(now))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
