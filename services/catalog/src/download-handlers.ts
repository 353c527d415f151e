import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { DownloadState, type CatalogService, type Download, type VideoLifecycleService } from "@kino/proto/catalog/v1";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { validateFailureReason, validateOutputId } from "./lifecycle-validation.ts";
import { downloadJobEntry, videoEventEntry } from "./outbox-entries.ts";
import type { CatalogDatabase, DownloadStateName, VideoRow } from "./schema.ts";
import { requireId } from "./validation.ts";
import { videoMessage } from "./video-message.ts";
import { notFound, type VideoRepository } from "./video-repository.ts";
import { applyTransition } from "./video-transitions.ts";
import { isVisible } from "./visibility-rules.ts";

/** CreateVideo's choice: a download of a protected video would be its content in clear. */
export function initialDownloadState(download: boolean, contentProtected: boolean): DownloadStateName {
  if (!download) return "NONE";
  if (contentProtected) throw new KinoError("failed_precondition", "a protected video (CONTENT_PROTECTION_AES_128) cannot have an MP4 download: it would be clear content");
  return "PENDING";
}

interface Outcome {
  state: "READY" | "FAILED";
  sizeBytes: number;
  reason: string;
}

/** A transcoder's report of a download (MarkReady's download, RecordDownload); undefined when it reports none. */
export function downloadOutcome(download: Download | undefined): Outcome | undefined {
  if (!download || download.state === DownloadState.UNSPECIFIED || download.state === DownloadState.NONE) return undefined;
  if (download.state === DownloadState.READY) {
    const size = download.sizeBytes;
    if (size <= 0n || size > BigInt(Number.MAX_SAFE_INTEGER)) throw new KinoError("invalid_argument", "a READY download needs its size_bytes");
    return { state: "READY", sizeBytes: Number(size), reason: "" };
  }
  if (download.state === DownloadState.FAILED) return { state: "FAILED", sizeBytes: 0, reason: validateFailureReason(download.reason) };
  throw new KinoError("invalid_argument", `a download outcome is READY or FAILED, got ${DownloadState[download.state] ?? download.state}`);
}

/**
 * The columns MarkReady sets: the outcome only for a download still PENDING
 * (one asked for at creation); a PENDING one the transcoder said nothing of
 * (a transcoder that predates downloads) becomes FAILED rather than wait
 * for ever. Any other state stays.
 */
export function downloadOnReady(download: Download | undefined): { download_state: RawBuilder<DownloadStateName>; download_size_bytes: RawBuilder<number>; download_reason: RawBuilder<string> } {
  const outcome = downloadOutcome(download) ?? { state: "FAILED", sizeBytes: 0, reason: "this transcoder made no download" };
  const ifPending = <T>(value: T, column: string, type: "text" | "bigint") => sql<T>`case when download_state = 'PENDING' then cast(${value} as ${sql.raw(type)}) else ${sql.ref(column)} end`;
  return {
    download_state: ifPending<DownloadStateName>(outcome.state, "download_state", "text"),
    download_size_bytes: ifPending<number>(outcome.sizeBytes, "download_size_bytes", "bigint"),
    download_reason: ifPending<string>(outcome.reason, "download_reason", "text"),
  };
}

/** The video whose download the caller may ask for: their own; anyone else's is not found or denied, as for UpdateVideo. */
async function ownedVideo(videos: VideoRepository, id: string, context: CallContext): Promise<VideoRow> {
  if (!context.callerId) throw new KinoError("unauthenticated", "asking for a download needs a signed-in user");
  const row = await videos.find(id);
  if (!row || !isVisible(row, context.callerId)) throw notFound(id);
  if (row.owner_id !== context.callerId) throw new KinoError("permission_denied", `video ${id} belongs to someone else`);
  return row;
}

/** CatalogService.RequestDownload: PENDING and a download job, in one transaction (see catalog_service.proto). */
export function requestDownloadHandler(db: Kysely<CatalogDatabase>, videos: VideoRepository): ServiceHandlers<typeof CatalogService>["requestDownload"] {
  return async (request, context) => {
    const id = requireId(request.videoId, "video_id");
    const row = await ownedVideo(videos, id, context);
    if (row.content_protection !== "NONE") throw new KinoError("failed_precondition", `video ${id} is protected: an MP4 download would be clear content`);
    if (row.status !== "READY") throw new KinoError("failed_precondition", `video ${id} is ${row.status}: a download can be asked for once it is READY (or at creation)`);
    if (row.download_state === "PENDING" || row.download_state === "READY") return { video: videoMessage(row) };
    const outcome = await applyTransition(db, id, {
      from: ["READY"],
      onlyIf: (eb) => eb.and([eb("output_id", "=", row.output_id), eb("download_state", "in", ["NONE", "FAILED"])]),
      set: { download_state: "PENDING", download_reason: "", download_size_bytes: 0 },
      announce: (updated) => [downloadJobEntry(updated), videoEventEntry(updated, "updated")],
    });
    if (!outcome || outcome.row.status === "DELETED") throw notFound(id);
    // Not changed: a concurrent request got there first (PENDING or READY now), which is what was asked.
    if (!outcome.changed && outcome.row.status !== "READY") throw new KinoError("failed_precondition", `video ${id} is ${outcome.row.status}`);
    if (outcome.changed) context.logger.info({ videoId: id }, "download requested");
    return { video: videoMessage(outcome.row) };
  };
}

/** VideoLifecycleService.RecordDownload: a download job's outcome, for the output it was made from. */
export function recordDownloadHandler(db: Kysely<CatalogDatabase>): ServiceHandlers<typeof VideoLifecycleService>["recordDownload"] {
  return async (request) => {
    const id = requireId(request.videoId, "video_id");
    const outputId = validateOutputId(request.outputId);
    const outcome = downloadOutcome(request.download);
    if (!outcome) throw new KinoError("invalid_argument", "download must say READY (with size_bytes) or FAILED (with reason)");
    const result = await applyTransition(db, id, {
      from: ["READY"],
      onlyIf: (eb) => eb.and([eb("output_id", "=", outputId), eb("download_state", "=", "PENDING")]),
      set: { download_state: outcome.state, download_size_bytes: outcome.sizeBytes, download_reason: outcome.reason },
      announce: (updated) => [videoEventEntry(updated, "updated")],
    });
    if (!result) throw notFound(id);
    const { row, changed } = result;
    const repeat = row.status === "READY" && row.output_id === outputId && row.download_state === outcome.state;
    if (!changed && !repeat) {
      throw new KinoError("failed_precondition", `video ${id} has no download pending for output ${outputId}: it is ${row.status}, download ${row.download_state}`);
    }
    return { video: videoMessage(row) };
  };
}
