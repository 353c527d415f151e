import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaKey } from "@kino/storage";
import type { JsMsg } from "nats";
import { classifyAttemptFailure, retryDelayMs } from "../jobs/attempt-failure.ts";
import { describeCatalogError } from "../jobs/catalog-errors.ts";
import { catalogCall, defer, handBack, type Delivery, type JobHandlerDeps } from "../jobs/delivery.ts";
import { holdLease } from "../jobs/job-lease.ts";
import type { JobOutcome } from "../jobs/job-outcome.ts";
import { newOutputId } from "../outputs/output-id.ts";
import type { RangeRecord } from "./chunk-plan.ts";
import { failChunkedVideo, joinRanges } from "./join.ts";
import { publishRangeStep, type RangeStep } from "./range-jobs.ts";
import { decodeRangeJob } from "./range-jobs.ts";
import { isComplete, type ChunkState, type RangeStore } from "./range-store.ts";

export interface RangeHandlerDeps extends JobHandlerDeps {
  ranges: RangeStore;
}

/** Queues the join once everything is recorded; any host that records the last piece does (its message id keeps it once). */
export async function joinWhenComplete(deps: RangeHandlerDeps, videoId: string, outputId: string): Promise<void> {
  const state = await deps.ranges.state(videoId, outputId);
  if (!state) return;
  const recorded = state.ranges.filter(Boolean).length;
  await deps.lifecycle.reportProgress({ videoId, percent: (100 * recorded) / state.ranges.length }).catch(() => undefined);
  if (isComplete(state)) await publishRangeStep(deps.js, deps.topology, { videoId, outputId, kind: "join" });
}

/** Best effort: an attempt whose record lost (or failed) removes the segments it uploaded. */
async function removeAttempt(delivery: Delivery, state: ChunkState, record: RangeRecord): Promise<void> {
  const { videoId, outputId } = state.plan;
  try {
    for (const rung of record.rungs) for (const s of rung.segments) await delivery.deps.storage.delete(mediaKey(videoId, outputId, rung.name, s.file));
  } catch (error) {
    delivery.logger.warn({ err: error }, "could not remove a losing range attempt's segments; the join removes them");
  }
}

async function encodeRange(delivery: Delivery & { deps: RangeHandlerDeps }, state: ChunkState, index: number): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  const { plan } = state;
  const spec = plan.ranges[index];
  if (!spec) return failChunkedVideo(delivery, deps.ranges, state, `range ${index} is not in the plan`);
  const span = () => {
    const end = index === plan.ranges.length - 1 ? plan.ranges[0]!.start + plan.durationSeconds : spec.end;
    return `range ${index} (${spec.start.toFixed(1)}–${end.toFixed(1)} s)`;
  };
  // No MaxDeliver on this consumer (the dead-letter watcher reads transcode jobs): a range that keeps killing its host ends here.
  if (!state.ranges[index] && delivery.deliveries > deps.settings.maxAttempts + 1) {
    return failChunkedVideo(delivery, deps.ranges, state, `${span()}: encoding did not finish after ${delivery.deliveries - 1} attempts`);
  }
  if (!state.ranges[index]) {
    const attempt = newOutputId(8);
    let record: RangeRecord;
    delivery.attemptStartedAt = performance.now();
    logger.info({ attempt }, "encoding range");
    try {
      record = await deps.pool.runRange({ plan, index, attempt, storage: deps.storageConfig }, { signal: delivery.signal });
    } catch (error) {
      if (delivery.signal.aborted) return handBack(delivery);
      const failure = classifyAttemptFailure(error);
      if (failure.kind === "host") return defer(delivery, `range ${index} could not run: ${failure.detail}`, error);
      logger.warn({ err: error, failure }, "range attempt failed");
      if (failure.kind === "attempt" && delivery.deliveries < deps.settings.maxAttempts) {
        message.nak(retryDelayMs(deps.settings.retryBackoffMs, delivery.deliveries));
        return "retry";
      }
      return failChunkedVideo(delivery, deps.ranges, state, `${span()}: ${failure.reason}`);
    }
    // The video may have failed (another range) or finished while this one encoded: its plan is gone then.
    if (!(await deps.ranges.state(plan.videoId, plan.outputId))) {
      logger.info("the chunked video ended while this range encoded; removing this attempt's segments");
      await removeAttempt(delivery, state, record);
      message.ack();
      return "superseded";
    }
    const outcome = await deps.ranges.recordRange(plan.videoId, plan.outputId, index, record);
    if (!outcome.won) {
      logger.info({ winner: outcome.record.attempt }, "another attempt recorded this range first; removing this one's segments");
      await removeAttempt(delivery, state, record);
    } else {
      logger.info({ attempt }, "range recorded");
    }
  }
  await joinWhenComplete(deps, plan.videoId, plan.outputId);
  message.ack();
  return "recorded";
}

async function handleStep(delivery: Delivery & { deps: RangeHandlerDeps }, step: RangeStep): Promise<JobOutcome> {
  const { deps, message, logger } = delivery;
  let started;
  try {
    started = await catalogCall(delivery, "start processing", (timeoutMs) => deps.lifecycle.startProcessing({ videoId: step.videoId }, { timeoutMs }));
  } catch (error) {
    if (delivery.signal.aborted) return handBack(delivery);
    logger.warn({ why: describeCatalogError(error) }, "the catalog refused a range job; dropping it");
    message.term();
    return "superseded";
  }
  const state = await deps.ranges.state(step.videoId, step.outputId);
  // Finished, failed, deleted, or another attempt plays: nothing of this output is wanted any more.
  // (The winner's join, or the job that failed the video, removes this output's files.)
  if (started.alreadyDone || started.publishedOutputId !== step.outputId || !state) {
    // Deleted or given up while chunked: the cleaner removes its files, this its plan.
    if (state && started.alreadyDone && started.video?.status !== VideoStatus.READY) await deps.ranges.remove(step.videoId, step.outputId).catch(() => undefined);
    message.ack();
    return "already_done";
  }
  if (step.kind === "join") {
    if (!isComplete(state)) {
      logger.warn("a join was queued before every range was recorded; dropping it (the last range queues it again)");
      message.ack();
      return "superseded";
    }
    return joinRanges(delivery, deps.ranges, state);
  }
  return encodeRange(delivery, state, step.index);
}

/** Takes one delivery of a range job (a range or a join) to its end, holding its lease meanwhile. */
export async function handleRangeMessage(message: JsMsg, signal: AbortSignal, deps: RangeHandlerDeps): Promise<JobOutcome> {
  const stopLease = holdLease(message, deps.settings.ackWaitMs, deps.logger);
  const deliveries = message.info.deliveryCount;
  const logger = deps.logger.child({ seq: message.seq, delivery: deliveries });
  try {
    const step = decodeRangeJob(message.data);
    if (!step) {
      logger.warn({ subject: message.subject }, "not a range job; terminating it");
      message.term();
      return "failed";
    }
    const delivery: Delivery & { deps: RangeHandlerDeps } = { message, deps, deliveries, signal, logger: logger.child({ videoId: step.videoId, outputId: step.outputId, step: step.kind === "range" ? step.index : "join" }) };
    const outcome = await handleStep(delivery, step);
    deps.metrics.deliverySettled(outcome, delivery.attemptStartedAt === undefined ? undefined : (performance.now() - delivery.attemptStartedAt) / 1000);
    return outcome;
  } finally {
    stopLease();
  }
}
