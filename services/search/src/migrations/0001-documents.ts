import { sql, type Kysely } from "kysely";

/**
 * One document per video the events named, with the words already weighed:
 * title A, tags B, description C (caption text would be D once captions
 * exist). `search` is written with the row, unaccented, so queries compare
 * like with like; `title_plain` feeds the trigram index for typo tolerance.
 * A deleted video keeps its row (deleted = true) so an older event that
 * arrives late cannot bring it back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await db.schema
    .createTable("documents")
    .addColumn("video_id", "text", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("tags", sql`text[]`, (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("duration_seconds", "double precision", (c) => c.notNull())
    .addColumn("poster_path", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("deleted", "boolean", (c) => c.notNull())
    .addColumn("search", sql`tsvector`, (c) => c.notNull())
    .addColumn("title_plain", "text", (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX documents_search ON documents USING gin (search)`.execute(db);
  await sql`CREATE INDEX documents_title_trgm ON documents USING gin (title_plain gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX documents_tags ON documents USING gin (tags)`.execute(db);
  // What anyone may find: every query for others starts from these rows.
  await sql`CREATE INDEX documents_listed_created ON documents (created_at DESC) WHERE status = 'READY' AND visibility = 'PUBLIC' AND NOT deleted`.execute(db);
  await sql`CREATE INDEX documents_owner ON documents (owner_id, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("documents").execute();
}
