import { sql, type Kysely } from "kysely";

/**
 * Playlists and their items. Positions are dense (0 to item_count - 1) and
 * unique per playlist; the constraint is checked at commit, so a move can
 * shift a range in one statement. Every change of a playlist's items locks
 * its row first, which is what keeps concurrent moves from interleaving.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("playlists")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigserial", (c) => c.notNull().unique())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull().check(sql`visibility in ('PUBLIC','UNLISTED','PRIVATE')`))
    .addColumn("item_count", "integer", (c) => c.notNull().defaultTo(0).check(sql`item_count >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("playlists_owner").on("playlists").columns(["owner_id", "seq"]).execute();
  await db.schema
    .createTable("playlist_items")
    .addColumn("playlist_id", "text", (c) => c.notNull().references("playlists.id").onDelete("cascade"))
    .addColumn("video_id", "text", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position >= 0`))
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("playlist_items_pk", ["playlist_id", "video_id"])
    .execute();
  await sql`ALTER TABLE playlist_items ADD CONSTRAINT playlist_items_position UNIQUE (playlist_id, position) DEFERRABLE INITIALLY DEFERRED`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("playlist_items").execute();
  await db.schema.dropTable("playlists").execute();
}
