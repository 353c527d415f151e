import type { Kysely } from "kysely";

/**
 * The storyboard (WebVTT thumbnails track) and the animated preview of the
 * served output, as origin paths; "" when the transcoder made none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("storyboard_path", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("preview_path", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("storyboard_path").dropColumn("preview_path").execute();
}
