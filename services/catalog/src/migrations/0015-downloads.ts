import type { Kysely } from "kysely";

/**
 * The MP4 download of the served output (kino.catalog.v1.Download): how far
 * it is, its size once READY, why it failed. Its path follows from the
 * output id, so it is not stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("download_state", "text", (c) => c.notNull().defaultTo("NONE"))
    .addColumn("download_size_bytes", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("download_reason", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("download_state").dropColumn("download_size_bytes").dropColumn("download_reason").execute();
}
