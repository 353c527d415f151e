import { fromBinary } from "@bufbuild/protobuf";
import { ContentProtection, DownloadState, RenditionState } from "@kino/proto/catalog/v1";
import { TranscodeJobSchema, type TranscodeJob as TranscodeJobMessage } from "@kino/proto/media/v1";
import { rawPrefix } from "@kino/storage";
import type { JsMsg } from "nats";
import { newOutputId } from "../outputs/output-id.ts";
import type { Publication, SplitJobResult, TranscodeJobResult } from "../pool/job.ts";
import type { ChunkPlan } from "../ranges/chunk-plan.ts";
import { joinWhenComplete } from "../ranges/range-handler.ts";
import { publishRangeStep } from "../ranges/range-jobs.ts";
import type { RangeStore } from "../ranges/range-store.ts";
import { discardOutputs, tidyFinishedVideo } from "./attempt-cleanup.ts";
import { classifyAttemptFailure, retryDelayMs } from "./attempt-failure.ts";
import { describeCatalogError, isStateConflict } from "./catalog-errors.ts";
import { catalogCall, defer, giveUp, handBack, type Delivery, type JobHandlerDeps } from "./delivery.ts";
import { holdLease } from "./job-lease.ts";
import type { JobOutcome } from "./job-outcome.ts";
import { createProgressReporter } from "./progress-reporter.ts";
import { publicationRequest, publishResult } from "./publish-result.ts";

export type { JobHandlerDeps, JobSettings } from "./delivery.ts";

function decodeJob(data: Uint8Array): TranscodeJobMessage | undefined {
  try {
    const job = fromBinary(TranscodeJobSchema, data);
    // The catalog only queues sources under the video's own raw/ prefix; anything else is not a job it wrote.
    return job.videoId && job.sourceKey.startsWith(rawPrefix(job.videoId)) ? job : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A published attempt's outputs are played from: they stay for the next
 * delivery to carry on with, and go only when the video is given up.
 */
async function afterFailedAttempt(delivery: Delivery, job: TranscodeJobMessage, outputId: string, published: boolean, error: unknown): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  if (!published) await discardOutputs(delivery, job.videoId, outputId);
  if (delivery.signal.aborted) return handBack(delivery);
  const failure = classifyAttemptFailure(error);
  if (failure.kind === "host") return defer(delivery, `transcode attempt could not run: ${failure.detail}`, error);
  logger.warn({ err: error, failure }, "transcode attempt failed");
  if (failure.kind === "attempt" && delivery.deliveries < deps.settings.maxAttempts) {
    message.nak(retryDelayMs(deps.settings.retryBackoffMs, delivery.deliveries));
    return "retry";
  }
  const outcome = await giveUp(delivery, job, failure.reason, true);
  if (published && outcome === "failed") await discardOutputs(delivery, job.videoId, outputId);
  return outcome;
}

async function handleDelivery(delivery: Delivery): Promise<JobOutcome> {
  const { message, deps } = delivery;
  const job = decodeJob(message.data);
  if (!job) return giveUp(delivery, undefined, "not a transcode job", false);
  delivery.logger = delivery.logger.child({ videoId: job.videoId, jobId: job.jobId });

  let started;
  try {
    started = await catalogCall(delivery, "start processing", (timeoutMs) => deps.lifecycle.startProcessing({ videoId: job.videoId }, { timeoutMs }));
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    return giveUp(delivery, job, `the catalog refused the job: ${describeCatalogError(error)}`, false);
  }
  if (started.alreadyDone) {
    await tidyFinishedVideo(delivery, job.videoId, started.video?.status);
    message.ack();
    return "already_done";
  }

  let contentKey: Uint8Array | undefined;
  if (started.video?.contentProtection === ContentProtection.AES_128) {
    try {
      const keys = deps.contentKeys;
      if (!keys) throw new Error("this transcoder has no content key client");
      contentKey = (await catalogCall(delivery, "get the content key", (timeoutMs) => keys.getContentKey({ videoId: job.videoId }, { timeoutMs }))).key;
    } catch (error) {
      if (delivery.signal.aborted) return handBack(delivery);
      // A protected video is never published in clear: without its key the job waits for another delivery.
      return defer(delivery, `the content key of a protected video could not be had: ${describeCatalogError(error)}`, error);
    }
  }

  // A redelivery of a job whose attempt already plays carries on with that attempt.
  const outputId = started.publishedOutputId || newOutputId();
  const publishedRenditions = started.publishedOutputId
    ? (started.video?.renditions ?? []).filter((r) => r.state === RenditionState.READY).map((r) => r.name)
    : [];
  let published = started.publishedOutputId !== "";
  let refused = false;
  async function onPublish(publication: Publication): Promise<void> {
    try {
      await catalogCall(delivery, "publish renditions", (timeoutMs) => deps.lifecycle.publishRenditions(publicationRequest(publication), { timeoutMs }));
    } catch (error) {
      if (isStateConflict(error)) refused = true;
      throw error;
    }
    published = true;
    delivery.logger.info({ outputId, renditions: publication.renditions.map((r) => `${r.name}:${r.state}`) }, "video playable");
    await deps.hooks?.afterPublish?.(publication);
  }
  const ranges = deps.ranges;
  /** Records a chunked video's plan and queues its ranges; the worker slices before and makes the auxiliary outputs after. */
  async function onSplit(plan: ChunkPlan): Promise<void> {
    if (!ranges) throw new Error("this transcoder keeps no range store");
    await ranges.putPlan(plan);
    for (const range of plan.ranges) await publishRangeStep(deps.js, deps.topology, { videoId: plan.videoId, outputId: plan.outputId, kind: "range", index: range.index });
    delivery.logger.info({ outputId, ranges: plan.ranges.length }, "video split into ranges");
  }
  const progress = createProgressReporter({ ...deps, videoId: job.videoId, ownerId: started.video?.ownerId ?? "", outputId, logger: delivery.logger });
  deps.metrics.attemptStarted();
  delivery.attemptStartedAt = performance.now();
  let result: TranscodeJobResult | SplitJobResult;
  try {
    result = await deps.pool.run(
      {
        videoId: job.videoId,
        sourceKey: job.sourceKey,
        outputId,
        storage: deps.storageConfig,
        preset: deps.settings.preset,
        segmentSeconds: deps.settings.segmentSeconds,
        publishedRenditions,
        ...(contentKey ? { contentKey } : {}),
        // Asked for at creation: made from this attempt's ladder and reported with MarkReady.
        ...(started.video?.download?.state === DownloadState.PENDING ? { download: true } : {}),
        ...(ranges && deps.settings.rangeSeconds ? { rangeSeconds: deps.settings.rangeSeconds, splitMinSeconds: deps.settings.splitMinSeconds ?? 0 } : {}),
      },
      { signal: delivery.signal, onProgress: progress.report, onPublish, ...(ranges ? { onSplit } : {}) },
    );
  } catch (error) {
    await progress.close();
    if (refused) {
      // Another attempt plays, or the video was failed or deleted meanwhile: as a MarkReady loser does.
      delivery.logger.info({ outputId }, "another attempt owns the video or it is gone; removing this attempt's outputs");
      await discardOutputs(delivery, job.videoId, outputId);
      message.ack();
      return "superseded";
    }
    return afterFailedAttempt(delivery, job, outputId, published, error);
  }
  await progress.close();
  if ("split" in result) return afterSplit(delivery, ranges!, result);
  return publishResult(delivery, result);
}

/** The plan job's part is done: its auxiliary outputs are recorded, and the join is queued if the ranges were faster. */
async function afterSplit(delivery: Delivery, ranges: RangeStore, result: SplitJobResult): Promise<JobOutcome> {
  try {
    await ranges.recordAuxiliary(result.videoId, result.outputId, result.auxiliary);
    await joinWhenComplete({ ...delivery.deps, ranges }, result.videoId, result.outputId);
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    return defer(delivery, "could not record the plan job's outputs", error);
  }
  delivery.message.ack();
  return "split";
}

/**
 * Takes one delivery of a transcode job to its end: the message is acked,
 * nakked (with a backoff) or terminated before this resolves, and the
 * lease is renewed all the while. Aborting `signal` stops the encode and
 * hands the job back for another host.
 */
export async function handleJobMessage(message: JsMsg, signal: AbortSignal, deps: JobHandlerDeps): Promise<JobOutcome> {
  const stopLease = holdLease(message, deps.settings.ackWaitMs, deps.logger);
  const deliveries = message.info.deliveryCount;
  const delivery: Delivery = { message, deps, deliveries, signal, logger: deps.logger.child({ seq: message.seq, delivery: deliveries }) };
  try {
    const outcome = await handleDelivery(delivery);
    const { attemptStartedAt } = delivery;
    deps.metrics.deliverySettled(outcome, attemptStartedAt === undefined ? undefined : (performance.now() - attemptStartedAt) / 1000);
    return outcome;
  } finally {
    stopLease();
  }
}
