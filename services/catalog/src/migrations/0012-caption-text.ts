import { sql, type Kysely } from "kysely";

/**
 * The words of each caption track, for search; and on the video the
 * languages it has captions in, kept with each change so a video's message
 * (and its events) say so without a join.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("video_captions").addColumn("text", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("videos").addColumn("caption_languages", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
  await sql`UPDATE videos v SET caption_languages = c.languages
            FROM (SELECT video_id, array_agg(language ORDER BY language) AS languages FROM video_captions GROUP BY video_id) c
            WHERE c.video_id = v.id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("caption_languages").execute();
  await db.schema.alterTable("video_captions").dropColumn("text").execute();
}
