import { sql, type Kysely } from "kysely";

/**
 * Who may see a video. Videos that existed before were visible to everyone
 * once READY, so they become PUBLIC. Listings for other people ask only for
 * READY, PUBLIC videos newest first: a partial index serves exactly those.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("visibility", "text", (c) =>
      c.notNull().defaultTo("PUBLIC").check(sql`visibility in ('PUBLIC','UNLISTED','PRIVATE')`),
    )
    .execute();
  await db.schema
    .createIndex("videos_listed_seq")
    .on("videos")
    .column("seq")
    .where(sql.ref("status"), "=", "READY")
    .where(sql.ref("visibility"), "=", "PUBLIC")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("videos_listed_seq").execute();
  await db.schema.alterTable("videos").dropColumn("visibility").execute();
}
