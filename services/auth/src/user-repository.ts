import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { AuthDatabase, UserRow } from "./schema.ts";

/** 20 hex characters (80 random bits): a valid owner id, so it can own videos as is. */
export function newUserId(): string {
  return randomBytes(10).toString("hex");
}

export interface PendingAccount {
  email: string;
  displayName: string;
  passwordHash: string;
}

export class UserRepository {
  constructor(private readonly db: Kysely<AuthDatabase>) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where(sql`lower(email)`, "=", email.toLowerCase())
      .executeTakeFirst();
  }

  /**
   * Creates the account unverified, or replaces password and name of one
   * still unverified (the latest sign-up wins until the mailbox proves
   * itself). A verified account is left alone: undefined then.
   */
  async upsertPending(account: PendingAccount): Promise<UserRow | undefined> {
    const inserted = await this.db
      .insertInto("users")
      .values({ id: newUserId(), email: account.email, display_name: account.displayName, password_hash: account.passwordHash })
      .onConflict((c) =>
        c
          .expression(sql`lower(email)`)
          .doUpdateSet({ email: account.email, display_name: account.displayName, password_hash: account.passwordHash })
          .where("users.email_verified_at", "is", null),
      )
      .returningAll()
      .executeTakeFirst();
    return inserted;
  }

  async markVerified(userId: string, now: Date): Promise<void> {
    await this.db.updateTable("users").set({ email_verified_at: now }).where("id", "=", userId).where("email_verified_at", "is", null).execute();
  }

  async replacePasswordHash(userId: string, previous: string, next: string): Promise<void> {
    // Only if unchanged since it was read, so a rehash never undoes a password change.
    await this.db.updateTable("users").set({ password_hash: next }).where("id", "=", userId).where("password_hash", "=", previous).execute();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
