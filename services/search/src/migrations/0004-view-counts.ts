import { sql, type Kysely } from "kysely";

/**
 * Views, copied from the analytics service (search never reads its
 * tables): every video's all-time count for "most viewed", and views per
 * hour over the last 48 hours for trending. Keyed by video id alone, so a
 * count may arrive before the video's document does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE view_counts (video_id text PRIMARY KEY, total_views bigint NOT NULL)`.execute(db);
  await sql`CREATE TABLE view_hours (video_id text NOT NULL, hour timestamptz NOT NULL, views bigint NOT NULL, PRIMARY KEY (video_id, hour))`.execute(db);
  await sql`CREATE INDEX view_hours_hour ON view_hours (hour)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE view_hours, view_counts`.execute(db);
}
