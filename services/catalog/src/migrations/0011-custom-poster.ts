import type { Kysely } from "kysely";

/**
 * A poster the owner uploaded: the file name under the current output's
 * `posters/` folder, or "" for the transcoder's own. poster_path keeps the
 * automatic one, so going back needs nothing remembered elsewhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("custom_poster", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("custom_poster").execute();
}
