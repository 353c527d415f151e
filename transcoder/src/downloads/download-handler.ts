import { fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { FfmpegError } from "@kino/media";
import { isVideoId, type Logger } from "@kino/platform";
import { DownloadState, type DownloadSchema } from "@kino/proto/catalog/v1";
import { DownloadJobSchema, type DownloadJob } from "@kino/proto/media/v1";
import { StorageError, type Storage } from "@kino/storage";
import type { JsMsg } from "nats";
import { retryDelayMs } from "../jobs/attempt-failure.ts";
import { callCatalog } from "../jobs/catalog-call.ts";
import { describeCatalogError, isStateConflict } from "../jobs/catalog-errors.ts";
import type { JobSettings } from "../jobs/delivery.ts";
import { holdLease } from "../jobs/job-lease.ts";
import { CATALOG_CALL_TIMEOUT_MS, type LifecycleClient } from "../jobs/lifecycle-client.ts";
import { makeStoredDownload } from "./stored-download.ts";

export interface DownloadHandlerDeps {
  lifecycle: Pick<LifecycleClient, "recordDownload" | "getPlayback">;
  storage: Storage;
  settings: Pick<JobSettings, "maxAttempts" | "ackWaitMs" | "retryBackoffMs">;
  tempRoot: string;
  ffmpegPath?: string;
  logger: Logger;
}

/**
 * How one delivery of a download job ended: recorded READY or FAILED,
 * refused by the catalog (the video moved on; file removed), handed back
 * (shutdown), deferred or retried later, or not a job at all.
 */
export type DownloadOutcome = "ready" | "failed" | "superseded" | "handed_back" | "deferred" | "retry" | "invalid";

function decodeJob(data: Uint8Array): DownloadJob | undefined {
  try {
    const job = fromBinary(DownloadJobSchema, data);
    return isVideoId(job.videoId) && /^[A-Za-z0-9_-]{1,64}$/.test(job.outputId) ? job : undefined;
  } catch {
    return undefined;
  }
}

/** Host trouble is waited out; anything else is this download's own failure, in words for the owner. */
function classify(error: unknown): { host: string } | { reason: string } {
  if (FfmpegError.is(error, "ffmpeg_unavailable") || StorageError.is(error, "unavailable")) return { host: (error as Error).message };
  if (StorageError.is(error, "not_found")) return { reason: "the video's published files are missing" };
  if (error instanceof FfmpegError) return { reason: `the MP4 could not be made: ${error.reason}` };
  return { reason: "the MP4 download failed with an internal error" };
}

/**
 * Takes one delivery of a download job to its end (acked, nakked or
 * terminated before this resolves), renewing the lease meanwhile. The
 * video is never failed: a download that cannot be made is recorded
 * FAILED with a reason, after as many attempts as a transcode gets.
 */
export async function handleDownloadMessage(message: JsMsg, signal: AbortSignal, deps: DownloadHandlerDeps): Promise<DownloadOutcome> {
  const stopLease = holdLease(message, deps.settings.ackWaitMs, deps.logger);
  const deliveries = message.info.deliveryCount;
  try {
    const job = decodeJob(message.data);
    if (!job) {
      deps.logger.warn({ seq: message.seq }, "not a download job; terminated");
      message.term();
      return "invalid";
    }
    const logger = deps.logger.child({ videoId: job.videoId, outputId: job.outputId, jobId: job.jobId, delivery: deliveries });
    const record = (download: MessageInitShape<typeof DownloadSchema>) =>
      callCatalog(() => deps.lifecycle.recordDownload({ videoId: job.videoId, outputId: job.outputId, download }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS }), { signal, logger, what: "record the download" });
    const recordFailure = async (reason: string): Promise<DownloadOutcome> => {
      await record({ state: DownloadState.FAILED, reason }).catch((error: unknown) => {
        if (!isStateConflict(error)) throw error;
      });
      logger.warn({ reason }, "MP4 download failed; the video plays on without it");
      message.ack();
      return "failed";
    };
    // Also ends a job whose deliveries each crashed their host before settling it.
    if (deliveries > deps.settings.maxAttempts + 1) return await recordFailure(`the MP4 download did not finish after ${deliveries - 1} attempts`);

    let made;
    try {
      made = await makeStoredDownload({ storage: deps.storage, videoId: job.videoId, outputId: job.outputId, tempRoot: deps.tempRoot, signal, ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}) });
    } catch (error) {
      if (signal.aborted) {
        message.nak();
        return "handed_back";
      }
      const failure = classify(error);
      const delay = Math.max(1000, retryDelayMs(deps.settings.retryBackoffMs, deliveries));
      if ("host" in failure) {
        logger.warn({ err: error }, "the MP4 download could not run here; handing it back for later");
        message.nak(delay);
        return "deferred";
      }
      logger.warn({ err: error }, "MP4 download attempt failed");
      if (deliveries < deps.settings.maxAttempts) {
        message.nak(delay);
        return "retry";
      }
      return await recordFailure(failure.reason);
    }

    try {
      await record({ state: DownloadState.READY, sizeBytes: BigInt(made.sizeBytes) });
    } catch (error) {
      if (!isStateConflict(error)) throw error;
      // Deleted, re-published or no longer asked for: the file goes, unless an earlier delivery's READY is what is served.
      const playback = await deps.lifecycle.getPlayback({ videoId: job.videoId }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS });
      if (!(playback.outputId === job.outputId && playback.downloadReady)) await deps.storage.delete(made.key);
      logger.info({ why: describeCatalogError(error) }, "the catalog took no download for this output");
      message.ack();
      return "superseded";
    }
    logger.info({ bytes: made.sizeBytes }, "MP4 download ready");
    message.ack();
    return "ready";
  } catch (error) {
    if (signal.aborted) {
      message.nak();
      return "handed_back";
    }
    throw error;
  } finally {
    stopLease();
  }
}
