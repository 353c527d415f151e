import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { CatalogExportService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import type { CatalogDatabase } from "./schema.ts";
import { requireId } from "./validation.ts";
import { videoMessage } from "./video-message.ts";
import { notFound } from "./video-repository.ts";

const defaultPageSize = 500;
const maxPageSize = 1000;

/**
 * Every video that is not deleted, in id order, one page per message. Pages
 * are read one at a time with a keyset on the id, so the export of a large
 * catalog holds no long transaction and resumes where it was interrupted.
 * And the words of a video's captions, which videos' messages do not carry.
 */
export function exportHandlers(db: Kysely<CatalogDatabase>): ServiceHandlers<typeof CatalogExportService> {
  return {
    async *exportVideos(request, context) {
      const pageSize = request.pageSize === 0 ? defaultPageSize : request.pageSize;
      if (pageSize < 1 || pageSize > maxPageSize) throw new KinoError("invalid_argument", `page_size must be between 1 and ${maxPageSize} (or 0 for ${defaultPageSize})`);
      let after = request.afterVideoId === "" ? "" : requireId(request.afterVideoId, "after_video_id");
      while (!context.signal.aborted) {
        const rows = await db
          .selectFrom("videos")
          .selectAll()
          .where("status", "!=", "DELETED")
          .$if(after !== "", (q) => q.where("id", ">", after))
          .orderBy("id")
          .limit(pageSize)
          .execute();
        if (rows.length === 0) return;
        yield { videos: rows.map(videoMessage) };
        if (rows.length < pageSize) return;
        after = rows[rows.length - 1]!.id;
      }
    },

    async getCaptionText(request) {
      const id = requireId(request.videoId, "video_id");
      const video = await db.selectFrom("videos").select(["version", "status"]).where("id", "=", id).executeTakeFirst();
      if (!video || video.status === "DELETED") throw notFound(id);
      const tracks = await db.selectFrom("video_captions").select("text").where("video_id", "=", id).orderBy("language").execute();
      return { text: tracks.map((t) => t.text).join("\n"), version: BigInt(video.version) };
    },
  };
}
