import { sql, type Kysely } from "kysely";

/**
 * A category filter with a common word: without these, the bounded tiers
 * read matches of every category until enough pass the filter. btree_gin
 * lets one GIN index hold the category beside the words, so the bitmap is
 * already the intersection.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gin`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS documents_category_title ON documents USING gin (category, title_search)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS documents_category_search ON documents USING gin (category, search)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS documents_category_search`.execute(db);
  await sql`DROP INDEX IF EXISTS documents_category_title`.execute(db);
}
