import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("videos")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigserial", (c) => c.notNull().unique())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('UPLOADING','UPLOADED','PROCESSING','READY','FAILED','DELETED')`),
    )
    .addColumn("failure_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("duration_seconds", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("renditions", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("playback_path", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("poster_path", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("progress", "jsonb")
    .addColumn("version", "bigint", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("videos_owner_seq").on("videos").columns(["owner_id", "seq"]).execute();
  await db.schema.createIndex("videos_status_seq").on("videos").columns(["status", "seq"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("videos").execute();
}
