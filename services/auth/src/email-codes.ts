import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuthDatabase, CodePurpose } from "./schema.ts";

export const codeLifetimeMs = 10 * 60_000;
export const maxCodeAttempts = 5;

function digest(code: string, salt: Buffer): Buffer {
  return createHmac("sha256", salt).update(code).digest();
}

/**
 * One-time codes sent by email: 6 digits, 10 minutes, single use, 5
 * attempts. Stored as a salted HMAC, never as the digits.
 */
export class EmailCodes {
  constructor(private readonly db: Kysely<AuthDatabase>) {}

  /** A fresh code for the account and purpose; any earlier one stops working. */
  async issue(userId: string, purpose: CodePurpose, now: Date): Promise<string> {
    const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
    const salt = randomBytes(16);
    const row = { code_hash: digest(code, salt), salt, expires_at: new Date(now.getTime() + codeLifetimeMs), attempts: 0, used_at: null };
    await this.db
      .insertInto("email_codes")
      .values({ user_id: userId, purpose, ...row })
      .onConflict((c) => c.columns(["user_id", "purpose"]).doUpdateSet(row))
      .execute();
    return code;
  }

  /**
   * Spends the code if it matches. Every try counts against the attempts
   * first, in one statement, so parallel guesses cannot exceed the limit.
   */
  async consume(userId: string, purpose: CodePurpose, code: string, now: Date): Promise<boolean> {
    const live = await this.db
      .updateTable("email_codes")
      .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
      .where("user_id", "=", userId)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .where("attempts", "<", maxCodeAttempts)
      .returning(["code_hash", "salt"])
      .executeTakeFirst();
    if (!live || !timingSafeEqual(digest(code, live.salt), live.code_hash)) return false;
    const spent = await this.db
      .updateTable("email_codes")
      .set({ used_at: now })
      .where("user_id", "=", userId)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return spent.numUpdatedRows === 1n;
  }
}
