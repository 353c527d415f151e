import { normaliseCaptionLanguage } from "@kino/captions";
import { databaseError } from "@kino/database";
import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError, checkText } from "@kino/platform";
import type { CaptionStoreService, CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { sql, type Kysely, type Transaction } from "kysely";
import { captionMessage, captionsOf } from "./caption-queries.ts";
import { isAdmin, requireUser, visibleVideo } from "./engagement-access.ts";
import { videoEventEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, VideoRow } from "./schema.ts";
import { requireId } from "./validation.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";

/** The video whose captions the caller may change: their own, or any live one for an admin. */
async function changeableVideo(videos: VideoRepository, rawId: string, context: CallContext): Promise<VideoRow> {
  const userId = requireUser(context);
  if (isAdmin(context)) {
    const row = await videos.find(requireId(rawId, "video_id"));
    if (!row || row.status === "DELETED") throw notFound(rawId);
    return row;
  }
  const row = await visibleVideo(videos, rawId, userId);
  if (row.owner_id !== userId) throw new KinoError("permission_denied", `video ${row.id} belongs to someone else`);
  return row;
}

/** What captionPlainText keeps of a file at most; the gateway sends no more. */
const maxCaptionTextChars = 200_000;

const labelOf = (raw: string, language: string) => checkText(raw, { field: "label", maxLength: 80, required: false, kind: "line" }) || language;

/**
 * Caption tracks. The gateway stores the file, then records it here; each
 * change bumps the video's version and publishes video.updated in the same
 * transaction, so search (and any other reader of events) hears of it.
 */
export function captionStoreHandlers(db: Kysely<CatalogDatabase>, videos: VideoRepository): ServiceHandlers<typeof CaptionStoreService> {
  /** Bumps the video's version and publishes it as video.updated, in the change's transaction. */
  async function announce(trx: Transaction<CatalogDatabase>, videoId: string): Promise<void> {
    const row = await trx
      .updateTable("videos")
      .set((eb) => ({
        version: eb("version", "+", "1"),
        updated_at: new Date(),
        caption_languages: sql<string[]>`ARRAY(SELECT language FROM video_captions WHERE video_id = ${videoId} ORDER BY language)`,
      }))
      .where("id", "=", videoId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto("outbox").values(videoEventEntry(row, "updated")).execute();
  }

  return {
    async authorizeCaptionChange(request, context) {
      await changeableVideo(videos, request.videoId, context);
      return {};
    },

    async recordCaption(request, context) {
      const video = await changeableVideo(videos, request.videoId, context);
      const language = normaliseCaptionLanguage(request.language);
      const label = labelOf(request.label, language);
      if (request.text.length > maxCaptionTextChars) throw new KinoError("invalid_argument", `text may be at most ${maxCaptionTextChars} characters`);
      const text = request.text;
      try {
        const row = await db.transaction().execute(async (trx) => {
          const saved = await trx
            .insertInto("video_captions")
            .values({ video_id: video.id, language, label, text })
            .onConflict((oc) =>
              oc.columns(["video_id", "language"]).doUpdateSet((eb) => ({ label, text, version: eb("video_captions.version", "+", "1"), updated_at: new Date() })),
            )
            .returningAll()
            .executeTakeFirstOrThrow();
          await announce(trx, video.id);
          return saved;
        });
        context.logger.info({ videoId: video.id, language, version: row.version }, "caption recorded");
        return { caption: captionMessage(row) };
      } catch (error) {
        throw databaseError(error);
      }
    },

    async deleteCaption(request, context) {
      const video = await changeableVideo(videos, request.videoId, context);
      const language = normaliseCaptionLanguage(request.language);
      let removed: boolean;
      try {
        removed = await db.transaction().execute(async (trx) => {
          const deleted = await trx.deleteFrom("video_captions").where("video_id", "=", video.id).where("language", "=", language).executeTakeFirst();
          if (deleted.numDeletedRows === 0n) return false;
          await announce(trx, video.id);
          return true;
        });
      } catch (error) {
        throw databaseError(error);
      }
      if (!removed) throw new KinoError("not_found", `video ${video.id} has no ${language} captions`);
      context.logger.info({ videoId: video.id, language }, "caption deleted");
      return {};
    },
  };
}

/** CatalogService.ListCaptions: to whoever may see the video, as GetVideo. */
export function listCaptionsHandler(db: Kysely<CatalogDatabase>, videos: VideoRepository): ServiceHandlers<typeof CatalogService>["listCaptions"] {
  return async (request, context) => {
    const video = await visibleVideo(videos, request.videoId, context.callerId);
    return { captions: (await captionsOf(db, video.id)).map(captionMessage) };
  };
}

/** GetPlayback with the caption tracks and duration the origin writes into the master playlist. */
export function withPlaybackCaptions(
  db: Kysely<CatalogDatabase>,
  videos: VideoRepository,
  getPlayback: ServiceHandlers<typeof VideoLifecycleService>["getPlayback"],
): ServiceHandlers<typeof VideoLifecycleService>["getPlayback"] {
  return async (request, context) => {
    const { outputId = "", visibility, ownerId, contentProtection, title, downloadReady } = await getPlayback(request, context);
    if (outputId === "") return { outputId };
    const row = await videos.find(request.videoId);
    if (!row) return { outputId: "" };
    return { outputId, visibility, ownerId, contentProtection, title, downloadReady, durationSeconds: row.duration_seconds, captions: (await captionsOf(db, row.id)).map(captionMessage) };
  };
}
