import type { Kysely } from "kysely";

/**
 * One row per viewer and video: where they are in it (to resume) and when
 * they last played it (their history, newest first). Forgetting a history
 * entry forgets its position too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("watch_history")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("video_id", "text", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("position_ms", "bigint", (c) => c.notNull())
    .addColumn("watched_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("watch_history_pk", ["user_id", "video_id"])
    .execute();
  await db.schema.createIndex("watch_history_recent").on("watch_history").columns(["user_id", "watched_at desc", "video_id desc"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("watch_history").execute();
}
