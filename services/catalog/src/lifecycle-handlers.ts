import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import { contentProtectionToProto } from "./content-keys/content-protection.ts";
import { downloadOnReady, recordDownloadHandler } from "./download-handlers.ts";
import { transcodeJobEntry, videoEventEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, VideoStatusName } from "./schema.ts";
import { validateFailureReason, validateOutputId, validateRenditions, validateSourceKey } from "./lifecycle-validation.ts";
import { requireId } from "./validation.ts";
import { videoMessage } from "./video-message.ts";
import { visibilityToProto } from "./visibility.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";
import { applyTransition } from "./video-transitions.ts";

const terminal: VideoStatusName[] = ["READY", "FAILED", "DELETED"];

function outOfOrder(id: string, action: string, status: VideoStatusName): KinoError {
  return new KinoError("failed_precondition", `cannot ${action} video ${id}: it is ${status}`);
}

/** Status changes driven by the upload host and the transcoders; each one safe to repeat. */
export function lifecycleHandlers(
  db: Kysely<CatalogDatabase>,
  videos: VideoRepository,
): ServiceHandlers<typeof VideoLifecycleService> {
  return {
    async markUploaded(request) {
      const id = requireId(request.videoId, "video_id");
      const sourceKey = validateSourceKey(id, request.sourceKey);
      const source = request.source;
      const outcome = await applyTransition(db, id, {
        from: ["UPLOADING"],
        set: {
          status: "UPLOADED",
          source_key: sourceKey,
          source: JSON.stringify({
            durationSeconds: source?.durationSeconds ?? 0,
            width: source?.width ?? 0,
            height: source?.height ?? 0,
            frameRate: source?.frameRate ?? 0,
            hasAudio: source?.hasAudio ?? false,
            sizeBytes: Number(source?.sizeBytes ?? 0n),
            videoCodec: source?.videoCodec ?? "",
          }),
          duration_seconds: source?.durationSeconds ?? 0,
        },
        announce: (row) => [transcodeJobEntry(row), videoEventEntry(row, "uploaded")],
      });
      if (!outcome) throw notFound(id);
      const { row, changed } = outcome;
      if (!changed && !["UPLOADED", "PROCESSING", "READY"].includes(row.status)) throw outOfOrder(id, "mark uploaded", row.status);
      return { video: videoMessage(row) };
    },

    async startProcessing(request) {
      const id = requireId(request.videoId, "video_id");
      const outcome = await applyTransition(db, id, {
        from: ["UPLOADED", "PROCESSING"],
        set: { status: "PROCESSING", progress: null },
      });
      if (!outcome) throw notFound(id);
      const { row, changed } = outcome;
      if (!changed && !terminal.includes(row.status)) throw outOfOrder(id, "start processing", row.status);
      // A redelivered job carries on with the attempt that already plays, rather than racing it.
      return { video: videoMessage(row), alreadyDone: !changed, publishedOutputId: changed && row.playable ? row.output_id : "" };
    },

    async reportProgress(request) {
      const id = requireId(request.videoId, "video_id");
      await videos.setProgress(id, {
        percent: Math.min(100, Math.max(0, request.percent)),
        fps: request.fps,
        speed: request.speed,
        updatedAt: new Date().toISOString(),
      });
      return {};
    },

    async publishRenditions(request) {
      const id = requireId(request.videoId, "video_id");
      const outputId = validateOutputId(request.outputId);
      const renditions = validateRenditions(request.renditions, "published");
      const outcome = await applyTransition(db, id, {
        from: ["PROCESSING"],
        // The first attempt to publish owns the video from then on.
        onlyIf: (eb) => eb.or([eb("playable", "=", false), eb("output_id", "=", outputId)]),
        set: {
          playable: true,
          output_id: outputId,
          playback_path: `/hls/${id}/${outputId}/master.m3u8`,
          duration_seconds: request.durationSeconds,
          renditions: JSON.stringify(renditions),
        },
      });
      if (!outcome) throw notFound(id);
      const { row, changed } = outcome;
      if (!changed && !(row.status === "READY" && row.output_id === outputId)) {
        throw row.status === "PROCESSING"
          ? new KinoError("failed_precondition", `video ${id} already plays from another attempt's outputs`)
          : outOfOrder(id, "publish renditions of", row.status);
      }
      return { video: videoMessage(row) };
    },

    async markReady(request) {
      const id = requireId(request.videoId, "video_id");
      const outputId = validateOutputId(request.outputId);
      const renditions = validateRenditions(request.renditions, "final");
      const outcome = await applyTransition(db, id, {
        from: ["PROCESSING"],
        onlyIf: (eb) => eb.or([eb("playable", "=", false), eb("output_id", "=", outputId)]),
        set: {
          status: "READY",
          playable: true,
          output_id: outputId,
          playback_path: `/hls/${id}/${outputId}/master.m3u8`,
          poster_path: request.posterMissing ? "" : `/hls/${id}/${outputId}/poster.jpg`,
          storyboard_path: request.hasStoryboard ? `/hls/${id}/${outputId}/storyboard.vtt` : "",
          preview_path: request.hasPreview ? `/hls/${id}/${outputId}/preview.webp` : "",
          ...downloadOnReady(request.download),
          duration_seconds: request.durationSeconds,
          renditions: JSON.stringify(renditions),
          progress: null,
          failure_reason: "",
        },
        announce: (row) => [videoEventEntry(row, "ready")],
      });
      if (!outcome) throw notFound(id);
      const { row, changed } = outcome;
      if (!changed && !(row.status === "READY" && row.output_id === outputId)) {
        throw row.status === "READY"
          ? new KinoError("failed_precondition", `video ${id} is already READY with another output`)
          : row.status === "PROCESSING"
            ? new KinoError("failed_precondition", `video ${id} already plays from another attempt's outputs`)
            : outOfOrder(id, "mark ready", row.status);
      }
      return { video: videoMessage(row) };
    },

    async markFailed(request) {
      const id = requireId(request.videoId, "video_id");
      const reason = validateFailureReason(request.reason);
      const outcome = await applyTransition(db, id, {
        from: ["UPLOADING", "UPLOADED", "PROCESSING"],
        set: { status: "FAILED", failure_reason: reason, progress: null, playable: false },
        announce: (row) => [videoEventEntry(row, "failed")],
      });
      if (!outcome) throw notFound(id);
      const { row, changed } = outcome;
      if (!changed && row.status !== "FAILED") throw outOfOrder(id, "mark failed", row.status);
      return { video: videoMessage(row) };
    },

    async getPlayback(request) {
      const id = requireId(request.videoId, "video_id");
      const row = await videos.find(id);
      if (!(row?.status === "READY" || (row?.status === "PROCESSING" && row.playable))) return { outputId: "" };
      return {
        outputId: row.output_id,
        visibility: visibilityToProto(row.visibility),
        ownerId: row.owner_id,
        contentProtection: contentProtectionToProto(row.content_protection),
        title: row.title,
        downloadReady: row.download_state === "READY",
      };
    },

    recordDownload: recordDownloadHandler(db),
  };
}
