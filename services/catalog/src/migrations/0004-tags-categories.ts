import { sql, type Kysely } from "kysely";

/**
 * Tags, a category and a language per video, and the category list admins
 * keep. A deleted category leaves its videos without one (ON DELETE SET
 * DEFAULT would need a row for ''; the handler clears them in the same
 * transaction instead).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("categories")
    .addColumn("slug", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable("videos")
    .addColumn("tags", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("category", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("tags").dropColumn("category").dropColumn("language").execute();
  await db.schema.dropTable("categories").execute();
}
