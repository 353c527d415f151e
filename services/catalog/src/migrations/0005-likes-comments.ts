import { sql, type Kysely } from "kysely";

/**
 * Likes and comments. A like is a row per (video, user), so a second like
 * is a conflict that changes nothing; each video's count is a row updated in
 * the like's own transaction, so it stays exact however many like at once
 * (the counter row serialises them). Comments are one level deep:
 * parent_id names a top-level comment, and deleting it takes its replies.
 * Comment counts are counted when read (hiding changes what counts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("video_likes")
    .addColumn("video_id", "text", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("video_likes_pk", ["video_id", "user_id"])
    .execute();
  await db.schema
    .createTable("video_like_counts")
    .addColumn("video_id", "text", (c) => c.primaryKey().references("videos.id").onDelete("cascade"))
    .addColumn("like_count", "bigint", (c) => c.notNull().defaultTo(0).check(sql`like_count >= 0`))
    .execute();
  await db.schema
    .createTable("comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigserial", (c) => c.notNull().unique())
    .addColumn("video_id", "text", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("parent_id", "text", (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("hidden", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .execute();
  await sql`CREATE INDEX comments_top_level ON comments (video_id, seq) WHERE parent_id IS NULL`.execute(db);
  await db.schema.createIndex("comments_replies").on("comments").columns(["parent_id", "seq"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("comments").execute();
  await db.schema.dropTable("video_like_counts").execute();
  await db.schema.dropTable("video_likes").execute();
}
