import { sql, type Kysely } from "kysely";

/**
 * Fast publish: a PROCESSING video can already play (its master playlist
 * names a first rung). Every READY video plays, so existing ones start
 * playable. Per-rendition state lives in the renditions JSON itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("playable", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update videos set playable = true where status = 'READY'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("videos").dropColumn("playable").execute();
}
