import { sql, type Kysely } from "kysely";

/**
 * What the pipeline needs: where the source and outputs are, an outbox whose
 * rows are written in the same transaction as the status change they
 * announce (so a job or event is never lost nor published for a rolled-back
 * change), and notifications that wake WatchVideo calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("videos")
    .addColumn("source_key", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "jsonb")
    .addColumn("output_id", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .createTable("outbox")
    .addColumn("seq", "bigserial", (c) => c.primaryKey())
    .addColumn("subject_kind", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("payload", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    CREATE FUNCTION kino_video_changed() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('kino_video_changed', NEW.id);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`.execute(db);
  await sql`CREATE TRIGGER videos_changed AFTER UPDATE ON videos FOR EACH ROW EXECUTE FUNCTION kino_video_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS videos_changed ON videos`.execute(db);
  await sql`DROP FUNCTION IF EXISTS kino_video_changed()`.execute(db);
  await db.schema.dropTable("outbox").execute();
  await db.schema.alterTable("videos").dropColumn("source_key").dropColumn("source").dropColumn("output_id").execute();
}
