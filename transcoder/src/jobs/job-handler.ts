import { fromBinary } from "@bufbuild/protobuf";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { TranscodeJobSchema, type TranscodeJob as TranscodeJobMessage } from "@kino/proto/media/v1";
import { rawPrefix, type Storage, type StorageConfig } from "@kino/storage";
import type { JetStreamClient, JsMsg } from "nats";
import type { TranscoderMetrics } from "../ops/metrics.ts";
import { removeAbandonedAttempts } from "../outputs/abandoned-attempts.ts";
import { newOutputId } from "../outputs/output-id.ts";
import { deleteOutputs } from "../outputs/upload-outputs.ts";
import type { TranscodePool } from "../pool/create-pool.ts";
import type { TranscodeJobResult } from "../pool/job.ts";
import { classifyAttemptFailure, retryDelayMs } from "./attempt-failure.ts";
import { describeCatalogError, isPermanentRefusal, isStateConflict } from "./catalog-errors.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import { holdLease } from "./job-lease.ts";
import type { JobOutcome } from "./job-outcome.ts";
import { CATALOG_CALL_TIMEOUT_MS, type LifecycleClient } from "./lifecycle-client.ts";
import { createProgressReporter } from "./progress-reporter.ts";

export interface JobSettings {
  /** Encode attempts before the video is marked FAILED. */
  maxAttempts: number;
  ackWaitMs: number;
  /** Delay before the second attempt, doubled for each further one. */
  retryBackoffMs: number;
  preset: string;
}

export interface JobHandlerDeps {
  pool: TranscodePool;
  lifecycle: LifecycleClient;
  /** For cleaning up outputs from the main thread. */
  storage: Storage;
  /** Handed to the pool worker, which opens its own storage. */
  storageConfig: StorageConfig;
  js: JetStreamClient;
  topology: Topology;
  settings: JobSettings;
  metrics: TranscoderMetrics;
  logger: Logger;
}

/** One delivery of one job, with what every step needs. */
interface Delivery {
  message: JsMsg;
  deps: JobHandlerDeps;
  logger: Logger;
  /** 1 on the first delivery. */
  deliveries: number;
  /** Set once an encode attempt starts, for its duration. */
  attemptStartedAt?: number;
}

function decodeJob(data: Uint8Array): TranscodeJobMessage | undefined {
  try {
    const job = fromBinary(TranscodeJobSchema, data);
    // The catalog only queues sources under the video's own raw/ prefix; anything else is not a job it wrote.
    return job.videoId && job.sourceKey.startsWith(rawPrefix(job.videoId)) ? job : undefined;
  } catch {
    return undefined;
  }
}

/** Returned for later, without judging the video: the catalog, storage or this host's ffmpeg is unavailable. */
function defer(delivery: Delivery, what: string, error: unknown): JobOutcome {
  delivery.logger.warn({ err: error }, `${what}; handing the job back for later`);
  delivery.message.nak(Math.max(1000, delivery.deps.settings.retryBackoffMs));
  return "deferred";
}

/** Dead-letters the job, marks the video FAILED with `reason` (unless asked not to) and ends its deliveries. */
async function giveUp(delivery: Delivery, job: TranscodeJobMessage | undefined, reason: string, markFailed: boolean): Promise<JobOutcome> {
  const { message, deps } = delivery;
  try {
    // Dead letter first: its id is per job, so a retry after a failed MarkFailed stores it once.
    await publishDeadLetter(deps.js, deps.topology, { jobId: job?.jobId ?? "", data: message.data, reason, deliveries: delivery.deliveries });
    if (job && markFailed) {
      await deps.lifecycle.markFailed({ videoId: job.videoId, reason }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS }).catch((error: unknown) => {
        // Already READY or DELETED: nothing left to fail.
        if (!isStateConflict(error)) throw error;
      });
    }
  } catch (error) {
    return defer(delivery, "could not record the job's failure", error);
  }
  delivery.logger.warn({ reason }, "transcode job given up and dead-lettered");
  // No reason on the TERM: nats-server 2.9 does not parse "+TERM <reason>" and would leave the job pending.
  message.term();
  return "failed";
}

/** Best effort: a prefix left behind here is removed by whichever attempt wins. */
async function discardOutputs(delivery: Delivery, videoId: string, outputId: string): Promise<void> {
  await deleteOutputs(delivery.deps.storage, videoId, outputId).catch((error: unknown) =>
    delivery.logger.warn({ err: error, outputId }, "could not remove an attempt's outputs"),
  );
}

/** Best effort: removes what earlier attempts left under media/<videoId>/, keeping only what is served. */
async function tidyAttempts(delivery: Delivery, videoId: string, keep: string | undefined): Promise<void> {
  try {
    const removed = await removeAbandonedAttempts(delivery.deps.storage, videoId, keep);
    if (removed.length > 0) delivery.logger.info({ removed }, "removed outputs of abandoned attempts");
  } catch (error) {
    delivery.logger.warn({ err: error }, "could not remove outputs of abandoned attempts");
  }
}

/** The video finished before this delivery: keep the served outputs (if READY), remove any other attempt's. */
async function tidyFinishedVideo(delivery: Delivery, videoId: string, status: VideoStatus | undefined): Promise<void> {
  if (status !== VideoStatus.READY) return tidyAttempts(delivery, videoId, undefined);
  try {
    const { outputId } = await delivery.deps.lifecycle.getPlayback({ videoId }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS });
    if (outputId) await tidyAttempts(delivery, videoId, outputId);
  } catch (error) {
    delivery.logger.warn({ err: error }, "could not learn the served outputs; leaving other attempts' outputs for later");
  }
}

async function publishResult(delivery: Delivery, result: TranscodeJobResult): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  const { videoId, outputId } = result;
  try {
    await deps.lifecycle.markReady(
      {
        videoId,
        outputId,
        durationSeconds: result.durationSeconds,
        renditions: result.renditions.map((r) => ({ ...r, bandwidth: Math.round(r.bandwidth), averageBandwidth: Math.round(r.averageBandwidth) })),
      },
      { timeoutMs: CATALOG_CALL_TIMEOUT_MS },
    );
  } catch (error) {
    if (isStateConflict(error)) {
      logger.info({ outputId, why: describeCatalogError(error) }, "another attempt won or the video is gone; removing this attempt's outputs");
      await discardOutputs(delivery, videoId, outputId);
      message.ack();
      return "superseded";
    }
    // READY may have been committed before the answer was lost, so these outputs may be served: keep them.
    return defer(delivery, "could not mark the video ready", error);
  }
  await tidyAttempts(delivery, videoId, outputId);
  message.ack();
  logger.info({ outputId, seconds: result.durationSeconds, renditions: result.renditions.map((r) => r.name) }, "video ready");
  return "ready";
}

async function afterFailedAttempt(delivery: Delivery, job: TranscodeJobMessage, outputId: string, error: unknown, signal: AbortSignal): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  await discardOutputs(delivery, job.videoId, outputId);
  if (signal.aborted) {
    message.nak();
    logger.info("transcode stopped; job handed back");
    return "handed_back";
  }
  const failure = classifyAttemptFailure(error);
  if (failure.kind === "host") return defer(delivery, `transcode attempt could not run: ${failure.detail}`, error);
  logger.warn({ err: error, failure }, "transcode attempt failed");
  if (failure.kind === "attempt" && delivery.deliveries < deps.settings.maxAttempts) {
    message.nak(retryDelayMs(deps.settings.retryBackoffMs, delivery.deliveries));
    return "retry";
  }
  return giveUp(delivery, job, failure.reason, true);
}

async function handleDelivery(delivery: Delivery, signal: AbortSignal): Promise<JobOutcome> {
  const { message, deps } = delivery;
  const job = decodeJob(message.data);
  if (!job) return giveUp(delivery, undefined, "not a transcode job", false);
  delivery.logger = delivery.logger.child({ videoId: job.videoId, jobId: job.jobId });

  let started;
  try {
    started = await deps.lifecycle.startProcessing({ videoId: job.videoId }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS });
  } catch (error) {
    if (isPermanentRefusal(error)) return giveUp(delivery, job, `the catalog refused the job: ${describeCatalogError(error)}`, false);
    return defer(delivery, "could not start processing", error);
  }
  if (started.alreadyDone) {
    await tidyFinishedVideo(delivery, job.videoId, started.video?.status);
    message.ack();
    return "already_done";
  }

  const outputId = newOutputId();
  const progress = createProgressReporter({ ...deps, videoId: job.videoId, ownerId: started.video?.ownerId ?? "", outputId, logger: delivery.logger });
  deps.metrics.attemptStarted();
  delivery.attemptStartedAt = performance.now();
  let result: TranscodeJobResult;
  try {
    result = await deps.pool.run(
      { videoId: job.videoId, sourceKey: job.sourceKey, outputId, storage: deps.storageConfig, preset: deps.settings.preset },
      { signal, onProgress: progress.report },
    );
  } catch (error) {
    await progress.close();
    return afterFailedAttempt(delivery, job, outputId, error, signal);
  }
  await progress.close();
  return publishResult(delivery, result);
}

/**
 * Takes one delivery of a transcode job to its end: the message is acked,
 * nakked (with a backoff) or terminated before this resolves, and the
 * lease is renewed all the while. Aborting `signal` stops the encode and
 * hands the job back for another host.
 */
export async function handleJobMessage(message: JsMsg, signal: AbortSignal, deps: JobHandlerDeps): Promise<JobOutcome> {
  const stopLease = holdLease(message, deps.settings.ackWaitMs, deps.logger);
  const delivery: Delivery = { message, deps, deliveries: message.info.deliveryCount, logger: deps.logger.child({ seq: message.seq, delivery: message.info.deliveryCount }) };
  try {
    const outcome = await handleDelivery(delivery, signal);
    const { attemptStartedAt } = delivery;
    deps.metrics.deliverySettled(outcome, attemptStartedAt === undefined ? undefined : (performance.now() - attemptStartedAt) / 1000);
    return outcome;
  } finally {
    stopLease();
  }
}
