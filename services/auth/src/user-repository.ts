import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { AccountRole, AuthDatabase, TierName, UserRow } from "./schema.ts";

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

  findById(userId: string): Promise<UserRow | undefined> {
    return this.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  }

  /** A page of accounts ordered by email ignoring case (unique, so the order is total), after `afterEmail` (lower-cased). */
  listPage(afterEmail: string | undefined, limit: number): Promise<UserRow[]> {
    let query = this.db.selectFrom("users").selectAll().orderBy(sql`lower(email)`).limit(limit);
    if (afterEmail !== undefined) query = query.where(sql`lower(email)`, ">", afterEmail);
    return query.execute();
  }

  setDisplayName(userId: string, displayName: string): Promise<UserRow | undefined> {
    return this.db.updateTable("users").set({ display_name: displayName }).where("id", "=", userId).returningAll().executeTakeFirst();
  }

  setTier(userId: string, tier: TierName): Promise<UserRow | undefined> {
    return this.db.updateTable("users").set({ tier }).where("id", "=", userId).returningAll().executeTakeFirst();
  }

  setRole(userId: string, role: AccountRole): Promise<UserRow | undefined> {
    return this.db.updateTable("users").set({ role }).where("id", "=", userId).returningAll().executeTakeFirst();
  }

  /** Disables (keeping the first time it was disabled) or enables the account. */
  setDisabled(userId: string, disabled: boolean, now: Date): Promise<UserRow | undefined> {
    return this.db
      .updateTable("users")
      .set((eb) => ({ disabled_at: disabled ? eb.fn.coalesce("disabled_at", eb.val(now)) : null }))
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirst();
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
  }

  /**
   * The admin `kino up` runs as: created verified with `passwordHash`, or an
   * existing account made admin and verified. An existing verified account
   * keeps its password; an unverified one gets `passwordHash`, since its
   * pending password was set by whoever signed up, not necessarily the
   * mailbox's owner. A disabled account is left as it is: undefined then.
   */
  async ensureVerifiedAdmin(account: PendingAccount, now: Date): Promise<{ user: UserRow; created: boolean } | undefined> {
    const row = await this.db
      .insertInto("users")
      .values({
        id: newUserId(),
        email: account.email,
        display_name: account.displayName,
        password_hash: account.passwordHash,
        email_verified_at: now,
        role: "admin",
      })
      .onConflict((c) =>
        c.expression(sql`lower(email)`).doUpdateSet((eb) => ({
          role: "admin",
          password_hash: sql<string>`case when users.email_verified_at is null then ${eb.ref("excluded.password_hash")} else users.password_hash end`,
          email_verified_at: eb.fn.coalesce("users.email_verified_at", eb.ref("excluded.email_verified_at")),
        })).where("users.disabled_at", "is", null),
      )
      .returningAll()
      // xmax is 0 for a row this statement inserted, set for one it updated.
      .returning(sql<boolean>`(xmax = 0)`.as("created"))
      .executeTakeFirst();
    if (!row) return undefined;
    const { created, ...user } = row;
    return { user, created };
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
