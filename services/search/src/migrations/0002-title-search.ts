import { sql, type Kysely } from "kysely";

/**
 * The title's words on their own, under an index of their own: GIN keeps no
 * weights, so asking `search` for title matches (weight A) reads every
 * matching row to check; this column answers from the index. Backfilled
 * from the titles already stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE documents ADD COLUMN title_search tsvector`.execute(db);
  await sql`UPDATE documents SET title_search = to_tsvector('simple', unaccent(title))`.execute(db);
  await sql`ALTER TABLE documents ALTER COLUMN title_search SET NOT NULL`.execute(db);
  await sql`CREATE INDEX documents_title_search ON documents USING gin (title_search)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE documents DROP COLUMN title_search`.execute(db);
}
