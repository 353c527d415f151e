import { sql, type Kysely } from "kysely";

/**
 * Newest first, with what a query filters and ranks by inside the index:
 * a common word's matches are then read in date order from the index alone
 * until the candidates are found (a few thousand entries), instead of
 * collecting every match from the GIN index first. They cover everyone's
 * view (visibility and owner are in them), so they replace the public-only
 * date index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS documents_visible_recent ON documents (created_at DESC)
            INCLUDE (video_id, title_search, visibility, owner_id, category, duration_seconds) WHERE status = 'READY' AND NOT deleted`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS documents_visible_category_recent ON documents (category, created_at DESC)
            INCLUDE (video_id, title_search, visibility, owner_id, duration_seconds) WHERE status = 'READY' AND NOT deleted`.execute(db);
  await sql`DROP INDEX IF EXISTS documents_listed_created`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS documents_listed_created ON documents (created_at DESC) WHERE status = 'READY' AND visibility = 'PUBLIC' AND NOT deleted`.execute(db);
  await sql`DROP INDEX IF EXISTS documents_visible_category_recent`.execute(db);
  await sql`DROP INDEX IF EXISTS documents_visible_recent`.execute(db);
}
