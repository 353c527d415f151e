import { sql, type Kysely } from "kysely";

/**
 * One caption track per video and language. The file itself lies in
 * storage under a key the gateway builds from the video id and this
 * canonical language alone; `version` counts its replacements.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("video_captions")
    .addColumn("video_id", "text", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("version", "bigint", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("video_captions_pk", ["video_id", "language"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("video_captions").execute();
}
