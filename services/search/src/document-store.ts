import { timestampDate } from "@bufbuild/protobuf/wkt";
import { databaseError } from "@kino/database";
import { VideoStatus, Visibility, type Video } from "@kino/proto/catalog/v1";
import { sql, type Kysely } from "kysely";
import type { SearchDatabase } from "./schema.ts";

export type ApplyOutcome = "applied" | "stale";

export interface ApplyResult {
  outcome: ApplyOutcome;
  /** A document that could be found (READY) no longer can, or its visibility changed: cached answers must go. */
  hidden: boolean;
}

const statusNames: Record<number, string> = {
  [VideoStatus.UPLOADING]: "UPLOADING",
  [VideoStatus.UPLOADED]: "UPLOADED",
  [VideoStatus.PROCESSING]: "PROCESSING",
  [VideoStatus.READY]: "READY",
  [VideoStatus.FAILED]: "FAILED",
  [VideoStatus.DELETED]: "DELETED",
};
const visibilityNames: Record<number, string> = {
  [Visibility.PUBLIC]: "PUBLIC",
  [Visibility.UNLISTED]: "UNLISTED",
  [Visibility.PRIVATE]: "PRIVATE",
};

/** The documents search answers from, each the newest version of a video that the events told of. */
export class DocumentStore {
  constructor(private readonly db: Kysely<SearchDatabase>) {}

  /**
   * Writes the video as the event saw it, unless a newer version is stored
   * already: events of one video may be delivered twice or out of order.
   * `captionText` is the words of its captions as of that version.
   */
  async apply(video: Video, captionText = ""): Promise<ApplyResult> {
    const status = statusNames[video.status] ?? "UPLOADING";
    // An unknown visibility is hidden from others, never shown.
    const visibility = visibilityNames[video.visibility] ?? "PRIVATE";
    const created = video.createTime ? timestampDate(video.createTime) : new Date();
    const tags = video.tags.join(" ");
    try {
      const result = await sql<{ video_id: string; hidden: boolean | null }>`
        WITH previous AS (SELECT status, visibility, deleted FROM documents WHERE video_id = ${video.id})
        INSERT INTO documents (video_id, version, owner_id, title, description, tags, category, language, visibility, status,
                               duration_seconds, poster_path, created_at, deleted, search, title_search, title_plain, caption_text)
        VALUES (${video.id}, ${video.version.toString()}, ${video.ownerId}, ${video.title}, ${video.description}, ${video.tags},
                ${video.category}, ${video.language}, ${visibility}, ${status}, ${video.durationSeconds}, ${video.posterPath},
                ${created}, ${status === "DELETED"},
                setweight(to_tsvector('simple', unaccent(${video.title})), 'A')
                  || setweight(to_tsvector('simple', unaccent(${tags})), 'B')
                  || setweight(to_tsvector('simple', unaccent(${video.description})), 'C')
                  || setweight(to_tsvector('simple', unaccent(${captionText})), 'D'),
                to_tsvector('simple', unaccent(${video.title})),
                lower(unaccent(${video.title})), ${captionText})
        ON CONFLICT (video_id) DO UPDATE SET
          version = excluded.version, owner_id = excluded.owner_id, title = excluded.title, description = excluded.description,
          tags = excluded.tags, category = excluded.category, language = excluded.language, visibility = excluded.visibility,
          status = excluded.status, duration_seconds = excluded.duration_seconds, poster_path = excluded.poster_path,
          created_at = excluded.created_at, deleted = excluded.deleted, search = excluded.search, title_search = excluded.title_search,
          title_plain = excluded.title_plain, caption_text = excluded.caption_text
        WHERE documents.version < excluded.version
        RETURNING video_id,
          (SELECT status = 'READY' AND NOT deleted AND (documents.deleted OR documents.status <> 'READY' OR documents.visibility <> visibility) FROM previous) AS hidden`.execute(this.db);
      const row = result.rows[0];
      return row ? { outcome: "applied", hidden: row.hidden === true } : { outcome: "stale", hidden: false };
    } catch (error) {
      throw databaseError(error);
    }
  }

  /** For a rebuild: forgets every document. */
  async clear(): Promise<void> {
    try {
      await this.db.deleteFrom("documents").execute();
    } catch (error) {
      throw databaseError(error);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.db.selectFrom("documents").select("video_id").limit(1).execute();
    } catch (error) {
      throw databaseError(error);
    }
  }
}
