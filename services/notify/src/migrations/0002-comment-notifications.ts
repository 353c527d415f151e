import { sql, type Kysely } from "kysely";

/** The feed also tells owners of comments on their videos: which comment, and whose. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("notifications")
    .addColumn("comment_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("comment_author_id", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind in ('video_ready','video_failed','video_commented'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM notifications WHERE kind = 'video_commented'`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind in ('video_ready','video_failed'))`.execute(db);
  await db.schema.alterTable("notifications").dropColumn("comment_id").dropColumn("comment_author_id").execute();
}
