import { sql, type Kysely } from "kysely";

/**
 * Content protection: how a video's segments are protected (chosen at
 * creation, never changed), and the key of each protected video, wrapped
 * under a master key (AES-256-GCM) so a copy of the database alone holds
 * no usable key. master_key_id names the master key that wrapped it, so the
 * operator can rotate the master key while old rows still unwrap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("content_protection", "text", (c) => c.notNull().defaultTo("NONE"))
    .execute();
  await db.schema
    .createTable("video_content_keys")
    .addColumn("video_id", "text", (c) => c.primaryKey().references("videos.id").onDelete("cascade"))
    .addColumn("master_key_id", "text", (c) => c.notNull())
    .addColumn("wrapped_key", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("video_content_keys").execute();
  await db.schema.alterTable("videos").dropColumn("content_protection").execute();
}
