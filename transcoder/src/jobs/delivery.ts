import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import type { TranscodeJob as TranscodeJobMessage } from "@kino/proto/media/v1";
import type { Storage, StorageConfig } from "@kino/storage";
import type { JetStreamClient, JsMsg } from "nats";
import type { TranscoderMetrics } from "../ops/metrics.ts";
import type { TranscodePool } from "../pool/create-pool.ts";
import type { Publication } from "../pool/job.ts";
import type { RangeStore } from "../ranges/range-store.ts";
import { retryDelayMs } from "./attempt-failure.ts";
import { callCatalog } from "./catalog-call.ts";
import { isStateConflict } from "./catalog-errors.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import type { JobOutcome } from "./job-outcome.ts";
import { CATALOG_CALL_TIMEOUT_MS, type ContentKeyClient, type LifecycleClient } from "./lifecycle-client.ts";

export interface JobSettings {
  /** Encode attempts before the video is marked FAILED. */
  maxAttempts: number;
  ackWaitMs: number;
  /** Delay before the second attempt, doubled for each further one. */
  retryBackoffMs: number;
  preset: string;
  segmentSeconds: number;
  /** Split sources at least twice this long into ranges (see RangeJob); 0 or absent never splits. */
  rangeSeconds?: number;
  /** Sources shorter than this are never split. */
  splitMinSeconds?: number;
}

export interface JobHandlerDeps {
  pool: TranscodePool;
  lifecycle: LifecycleClient;
  /** The catalog's ContentKeyService, for protected videos' keys. */
  contentKeys?: ContentKeyClient;
  /** For cleaning up outputs from the main thread. */
  storage: Storage;
  /** Handed to the pool worker, which opens its own storage. */
  storageConfig: StorageConfig;
  js: JetStreamClient;
  topology: Topology;
  settings: JobSettings;
  metrics: TranscoderMetrics;
  logger: Logger;
  /** Where chunked videos' plans and ranges are kept; without it no job splits. */
  ranges?: RangeStore;
  /** Test hooks (see src/testing.ts); none in production. */
  hooks?: JobHooks;
}

export interface JobHooks {
  /**
   * Awaited after the catalog took a publication and before the job
   * encodes on: a test holds the ladder here to look at the playable state.
   */
  afterPublish?: (publication: Publication) => Promise<void>;
}

/** One delivery of one job, with what every step needs. */
export interface Delivery {
  message: JsMsg;
  deps: JobHandlerDeps;
  logger: Logger;
  /** 1 on the first delivery. */
  deliveries: number;
  /** Aborted when this host shuts down: the job is then handed back. */
  signal: AbortSignal;
  /** Set once an encode attempt starts, for its duration. */
  attemptStartedAt?: number;
}

/**
 * Returned for later, without judging the video: storage or this host's
 * ffmpeg is unavailable. The delay grows with each delivery, so an outage
 * is waited out rather than hammered.
 */
export function defer(delivery: Delivery, what: string, error: unknown): JobOutcome {
  delivery.logger.warn({ err: error }, `${what}; handing the job back for later`);
  delivery.message.nak(Math.max(1000, retryDelayMs(delivery.deps.settings.retryBackoffMs, delivery.deliveries)));
  return "deferred";
}

/** Stopped by shutdown: returned at once, for another host. */
export function handBack(delivery: Delivery): JobOutcome {
  delivery.message.nak();
  delivery.logger.info("transcode stopped; job handed back");
  return "handed_back";
}

/** A catalog call that retries through outages until it is answered or the delivery is stopped. */
export function catalogCall<T>(delivery: Delivery, what: string, call: (timeoutMs: number) => Promise<T>): Promise<T> {
  return callCatalog(() => call(CATALOG_CALL_TIMEOUT_MS), { signal: delivery.signal, logger: delivery.logger, what });
}

/** Dead-letters the job, marks the video FAILED with `reason` (unless asked not to) and ends its deliveries. */
export async function giveUp(delivery: Delivery, job: TranscodeJobMessage | undefined, reason: string, markFailed: boolean): Promise<JobOutcome> {
  const { message, deps } = delivery;
  try {
    // Dead letter first: its id is per job, so a retry after a failed MarkFailed stores it once.
    await publishDeadLetter(deps.js, deps.topology, { jobId: job?.jobId ?? "", data: message.data, reason, deliveries: delivery.deliveries });
    if (job && markFailed) {
      await catalogCall(delivery, "mark the video failed", (timeoutMs) => deps.lifecycle.markFailed({ videoId: job.videoId, reason }, { timeoutMs })).catch((error: unknown) => {
        // Already READY or DELETED: nothing left to fail.
        if (!isStateConflict(error)) throw error;
      });
    }
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "could not record the job's failure", error);
  }
  delivery.logger.warn({ reason }, "transcode job given up and dead-lettered");
  // No reason on the TERM: nats-server 2.9 does not parse "+TERM <reason>" and would leave the job pending.
  message.term();
  return "failed";
}
