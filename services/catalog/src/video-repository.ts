import { KinoError, isVideoId } from "@kino/platform";
import { databaseError } from "@kino/database";
import { sql, type Kysely } from "kysely";
import type { WrappedContentKey } from "./content-keys/content-key-wrap.ts";
import type { OutboxEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, DownloadStateName, ProgressRow, VideoRow, VideoStatusName, VisibilityName } from "./schema.ts";

export interface ListFilter {
  ownerId: string;
  status: VideoStatusName | "";
  afterSeq: string | undefined;
  limit: number;
  /** Whose listing it is: their own videos in any visibility, others' only when READY and PUBLIC. */
  viewerId: string | undefined;
}

export interface MetadataChanges {
  title?: string;
  description?: string;
  visibility?: VisibilityName;
  tags?: string[];
  category?: string;
  language?: string;
}

export interface NewVideo {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  visibility: VisibilityName;
  tags: string[];
  category: string;
  language: string;
  /** Set for a protected video: its key, already wrapped, stored in the same transaction as the row. */
  contentKey?: WrappedContentKey;
  /** NONE, or PENDING when an MP4 download was asked for with it. */
  downloadState: DownloadStateName;
}

/** The events a committed change publishes, written to the outbox in its transaction. */
export type Announce = (row: VideoRow) => OutboxEntry[];

/** Every query of the videos table. Database failures leave as KinoErrors. */
export class VideoRepository {
  constructor(private readonly db: Kysely<CatalogDatabase>) {}

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw databaseError(error);
    }
  }

  insert(row: NewVideo, announce: Announce): Promise<VideoRow> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto("videos")
          .values({
            id: row.id,
            owner_id: row.ownerId,
            title: row.title,
            description: row.description,
            visibility: row.visibility,
            tags: row.tags,
            category: row.category,
            language: row.language,
            content_protection: row.contentKey ? "AES_128" : "NONE",
            download_state: row.downloadState,
            status: "UPLOADING",
            failure_reason: "",
            duration_seconds: 0,
            renditions: "[]",
            playback_path: "",
            poster_path: "",
            progress: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (row.contentKey) {
          await trx.insertInto("video_content_keys").values({ video_id: row.id, master_key_id: row.contentKey.masterKeyId, wrapped_key: row.contentKey.wrapped }).execute();
        }
        await trx.insertInto("outbox").values(announce(inserted)).execute();
        return inserted;
      }),
    );
  }

  /** What an owner's videos take, for upload quotas: stored source bytes, and videos created since `dayStart`. */
  usage(ownerId: string, dayStart: Date): Promise<{ storedBytes: bigint; createdToday: number }> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom("videos")
        .select([
          sql<string>`coalesce(sum(case when status <> 'DELETED' then (source->>'sizeBytes')::bigint else 0 end), 0)`.as("stored"),
          sql<string>`count(*) filter (where created_at >= ${dayStart})`.as("today"),
        ])
        .where("owner_id", "=", ownerId)
        .executeTakeFirstOrThrow();
      return { storedBytes: BigInt(row.stored), createdToday: Number(row.today) };
    });
  }

  async find(id: string): Promise<VideoRow | undefined> {
    if (!isVideoId(id)) return undefined;
    return this.run(() => this.db.selectFrom("videos").selectAll().where("id", "=", id).executeTakeFirst());
  }

  list(filter: ListFilter): Promise<VideoRow[]> {
    return this.run(() => {
      let query = this.db.selectFrom("videos").selectAll();
      if (filter.ownerId !== "") query = query.where("owner_id", "=", filter.ownerId);
      query = filter.status === "" ? query.where("status", "!=", "DELETED") : query.where("status", "=", filter.status);
      if (filter.status === "DELETED") query = query.where("owner_id", "=", filter.viewerId ?? "");
      // Unlisted and private videos of others are never listed, whatever the filters say (see visibility-rules.ts).
      const viewer = filter.viewerId;
      query = query.where((eb) => {
        const listed = eb.and([eb("status", "=", "READY"), eb("visibility", "=", "PUBLIC")]);
        return viewer ? eb.or([listed, eb("owner_id", "=", viewer)]) : listed;
      });
      if (filter.afterSeq !== undefined) query = query.where("seq", "<", filter.afterSeq);
      return query.orderBy("seq", "desc").limit(filter.limit).execute();
    });
  }

  /**
   * Applies metadata changes atomically. With `expectedVersion` the row
   * changes only if nobody changed it since; without, the changed fields are
   * written in one statement, so no concurrent change to other fields is lost.
   */
  async updateMetadata(id: string, changes: MetadataChanges, expectedVersion: bigint | undefined, announce: Announce): Promise<VideoRow | undefined> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        let query = trx
          .updateTable("videos")
          .set((eb) => ({
            ...(changes.title !== undefined ? { title: changes.title } : {}),
            ...(changes.description !== undefined ? { description: changes.description } : {}),
            ...(changes.visibility !== undefined ? { visibility: changes.visibility } : {}),
            ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
            ...(changes.category !== undefined ? { category: changes.category } : {}),
            ...(changes.language !== undefined ? { language: changes.language } : {}),
            version: eb("version", "+", "1"),
            updated_at: new Date(),
          }))
          .where("id", "=", id)
          .where("status", "!=", "DELETED");
        if (expectedVersion !== undefined) query = query.where("version", "=", expectedVersion.toString());
        const updated = await query.returningAll().executeTakeFirst();
        if (updated) await trx.insertInto("outbox").values(announce(updated)).execute();
        return updated;
      }),
    );
  }

  categories(): Promise<{ slug: string; name: string }[]> {
    return this.run(() => this.db.selectFrom("categories").select(["slug", "name"]).orderBy("name").orderBy("slug").execute());
  }

  async categoryExists(slug: string): Promise<boolean> {
    return (await this.run(() => this.db.selectFrom("categories").select("slug").where("slug", "=", slug).executeTakeFirst())) !== undefined;
  }

  putCategory(slug: string, name: string): Promise<{ slug: string; name: string }> {
    return this.run(() =>
      this.db
        .insertInto("categories")
        .values({ slug, name })
        .onConflict((oc) => oc.column("slug").doUpdateSet({ name }))
        .returning(["slug", "name"])
        .executeTakeFirstOrThrow(),
    );
  }

  /** Removes a category and takes it off its videos, each change announced; false when there was none. */
  deleteCategory(slug: string, announce: Announce): Promise<boolean> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom("categories").where("slug", "=", slug).executeTakeFirst();
        if (deleted.numDeletedRows === 0n) return false;
        const changed = await trx
          .updateTable("videos")
          .set((eb) => ({ category: "", version: eb("version", "+", "1"), updated_at: new Date() }))
          .where("category", "=", slug)
          .returningAll()
          .execute();
        const entries = changed.flatMap(announce);
        if (entries.length > 0) await trx.insertInto("outbox").values(entries).execute();
        return true;
      }),
    );
  }

  /** Records progress of a PROCESSING video; a late report after READY or FAILED changes nothing. */
  async setProgress(id: string, progress: ProgressRow): Promise<void> {
    if (!isVideoId(id)) return;
    await this.run(() =>
      this.db
        .updateTable("videos")
        .set({ progress: JSON.stringify(progress), updated_at: new Date() })
        .where("id", "=", id)
        .where("status", "=", "PROCESSING")
        .execute(),
    );
  }

  async ping(): Promise<void> {
    await this.run(() => this.db.selectFrom("videos").select("id").limit(1).execute());
  }
}

export function notFound(id: string): KinoError {
  return new KinoError("not_found", `video ${id} not found`);
}
