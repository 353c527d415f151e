import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Existing accounts become users of the free tier, enabled.
  await db.schema
    .alterTable("users")
    .addColumn("role", "text", (c) => c.notNull().defaultTo("user").check(sql`role in ('user','admin')`))
    .addColumn("tier", "text", (c) => c.notNull().defaultTo("free").check(sql`tier in ('free','pro')`))
    .addColumn("disabled_at", "timestamptz")
    .execute();

  await sql`ALTER TABLE email_codes DROP CONSTRAINT email_codes_purpose_check`.execute(db);
  await sql`ALTER TABLE email_codes ADD CONSTRAINT email_codes_purpose_check CHECK (purpose in ('verify_email','sign_in','reset_password'))`.execute(db);

  await db.schema
    .alterTable("refresh_families")
    .addColumn("client_description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("last_used_at", "timestamptz")
    .execute();
  await sql`UPDATE refresh_families SET last_used_at = created_at`.execute(db);
  await sql`ALTER TABLE refresh_families ALTER COLUMN last_used_at SET NOT NULL`.execute(db);

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    // SHA-256 of the whole secret; the secret itself is never stored.
    .addColumn("secret_hash", "bytea", (c) => c.notNull().unique())
    .addColumn("scopes", sql`text[]`, (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz")
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("api_keys_user_created").on("api_keys").columns(["user_id", "created_at", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("api_keys").execute();
  await db.schema.alterTable("refresh_families").dropColumn("client_description").dropColumn("last_used_at").execute();
  await sql`DELETE FROM email_codes WHERE purpose = 'reset_password'`.execute(db);
  await sql`ALTER TABLE email_codes DROP CONSTRAINT email_codes_purpose_check`.execute(db);
  await sql`ALTER TABLE email_codes ADD CONSTRAINT email_codes_purpose_check CHECK (purpose in ('verify_email','sign_in'))`.execute(db);
  await db.schema.alterTable("users").dropColumn("role").dropColumn("tier").dropColumn("disabled_at").execute();
}
