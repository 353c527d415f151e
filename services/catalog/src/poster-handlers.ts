import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { VideoPosterService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import { validateOutputId } from "./lifecycle-validation.ts";
import { videoEventEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, VideoRow } from "./schema.ts";
import { requireId } from "./validation.ts";
import { videoMessage } from "./video-message.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";
import { applyTransition } from "./video-transitions.ts";
import { isVisible } from "./visibility-rules.ts";

// The gateway names the file after the re-encoded image's hash; nothing else may reach a storage key.
const POSTER_FILE = /^[0-9a-f]{16,64}\.(jpg|webp)$/;

/** The video whose poster the caller may change: their own, or any for an admin; others are not found or denied as everywhere. */
async function posterOf(videos: VideoRepository, id: string, context: CallContext): Promise<VideoRow> {
  if (!context.callerId) throw new KinoError("unauthenticated", "changing a poster needs a signed-in user");
  const admin = context.callerRole === "admin";
  const row = await videos.find(id);
  if (!row || (!admin && !isVisible(row, context.callerId)) || row.status === "DELETED") throw notFound(id);
  if (!admin && row.owner_id !== context.callerId) throw new KinoError("permission_denied", `video ${id} belongs to someone else`);
  return row;
}

/** Records (or clears) a creator's own poster, conditional on the row read, so concurrent changes never lose a replaced file's name. */
async function changePoster(db: Kysely<CatalogDatabase>, row: VideoRow, outputId: string, posterFile: string) {
  const outcome = await applyTransition(db, row.id, {
    from: ["READY"],
    set: { custom_poster: posterFile },
    onlyIf: (eb) => eb.and([eb("output_id", "=", outputId), eb("custom_poster", "=", row.custom_poster)]),
    announce: (updated) => [videoEventEntry(updated, "updated")],
  });
  if (!outcome || outcome.row.status === "DELETED") throw notFound(row.id);
  if (!outcome.changed) {
    if (outcome.row.status !== "READY") throw new KinoError("failed_precondition", `video ${row.id} is ${outcome.row.status}: a poster can be set once it is READY`);
    if (outcome.row.output_id !== outputId) throw new KinoError("failed_precondition", `video ${row.id} no longer plays from output ${outputId}`);
    throw new KinoError("conflict", `the poster of video ${row.id} was changed concurrently; retry`);
  }
  return { video: videoMessage(outcome.row), replacedPosterFile: row.custom_poster };
}

/** A creator's own poster: the gateway stores Kino's re-encoding, this records it (see poster_service.proto). */
export function posterHandlers(db: Kysely<CatalogDatabase>, videos: VideoRepository): ServiceHandlers<typeof VideoPosterService> {
  return {
    async setVideoPoster(request, context) {
      const id = requireId(request.videoId, "video_id");
      const outputId = validateOutputId(request.outputId);
      if (!POSTER_FILE.test(request.posterFile)) {
        throw new KinoError("invalid_argument", "poster_file must be 16 to 64 lower-case hex digits followed by .jpg or .webp");
      }
      const row = await posterOf(videos, id, context);
      if (row.status !== "READY") throw new KinoError("failed_precondition", `video ${id} is ${row.status}: a poster can be set once it is READY`);
      if (row.custom_poster === request.posterFile && row.output_id === outputId) return { video: videoMessage(row), replacedPosterFile: "" };
      context.logger.info({ videoId: id }, "custom poster set");
      return changePoster(db, row, outputId, request.posterFile);
    },

    async clearVideoPoster(request, context) {
      const id = requireId(request.videoId, "video_id");
      const row = await posterOf(videos, id, context);
      if (row.custom_poster === "") return { video: videoMessage(row), replacedPosterFile: "" };
      context.logger.info({ videoId: id }, "custom poster cleared");
      return changePoster(db, row, row.output_id, "");
    },
  };
}
