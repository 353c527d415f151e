import type { Kysely } from "kysely";

/** The words of a video's captions, weighted D in `search` (below title, tags and description). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("documents").addColumn("caption_text", "text", (c) => c.notNull().defaultTo("")).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("documents").dropColumn("caption_text").execute();
}
