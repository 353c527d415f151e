import { fromBinary } from "@bufbuild/protobuf";
import type { Topology } from "@kino/messaging";
import type { Logger } from "@kino/platform";
import { TranscodeJobSchema } from "@kino/proto/media/v1";
import type { Storage } from "@kino/storage";
import type { JsMsg, NatsConnection } from "nats";
import type { PullLoop } from "../consumers/pull-loop.ts";
import { startConsumer } from "../consumers/start-consumer.ts";
import { isStateConflict } from "../jobs/catalog-errors.ts";
import { publishDeadLetter } from "../jobs/dead-letter.ts";
import { CATALOG_CALL_TIMEOUT_MS, type LifecycleClient } from "../jobs/lifecycle-client.ts";
import { removeAbandonedAttempts } from "../outputs/abandoned-attempts.ts";

export const DEAD_LETTER_WATCHER_NAME = "transcoder-max-deliveries";

export interface DeadLetterWatcherOptions {
  nats: NatsConnection;
  topology: Topology;
  lifecycle: LifecycleClient;
  storage: Storage;
  logger: Logger;
}

/** The fields of io.nats.jetstream.advisory.v1.max_deliver that matter here. */
interface MaxDeliverAdvisory {
  stream: string;
  stream_seq: number;
  deliveries: number;
}

function parseAdvisory(data: Uint8Array): MaxDeliverAdvisory | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(data)) as Partial<MaxDeliverAdvisory>;
    if (typeof value.stream === "string" && Number.isSafeInteger(value.stream_seq) && Number.isSafeInteger(value.deliveries)) return value as MaxDeliverAdvisory;
  } catch {
    // falls through: not an advisory
  }
  return undefined;
}

function isMissingMessage(error: unknown): boolean {
  return /no message found|message not found/i.test(String((error as Error)?.message ?? error));
}

/**
 * Ends jobs that ran out of deliveries without any transcoder settling them
 * (each attempt crashed its process or lost its lease): the server then
 * stops delivering but leaves the job in the work queue and publishes a
 * MaxDeliver advisory, which the dead-letter stream captures. For each one
 * the video is marked FAILED, the job copied to the dead letters and
 * removed from the queue, and the outputs its attempts left are deleted.
 */
export async function startDeadLetterWatcher(options: DeadLetterWatcherOptions): Promise<PullLoop> {
  const { nats, topology, lifecycle, logger } = options;
  const jsm = await nats.jetstreamManager();
  const js = nats.jetstream();

  async function handle(message: JsMsg): Promise<void> {
    const advisory = parseAdvisory(message.data);
    if (!advisory) {
      logger.warn({ subject: message.subject }, "ignoring a message that is not a MaxDeliver advisory");
      message.term();
      return;
    }
    if (advisory.stream !== topology.streams.jobs) {
      message.ack();
      return;
    }
    const stored = await jsm.streams.getMessage(topology.streams.jobs, { seq: advisory.stream_seq }).catch((error: unknown) => {
      if (isMissingMessage(error)) return undefined;
      throw error;
    });
    // Gone already: another watcher, or a late ack, settled it.
    if (!stored) {
      message.ack();
      return;
    }
    let job;
    try {
      job = fromBinary(TranscodeJobSchema, stored.data);
    } catch {
      job = undefined;
    }
    const reason = `transcoding did not finish after ${advisory.deliveries} attempts`;
    let failed = true;
    if (job?.videoId) {
      await lifecycle.markFailed({ videoId: job.videoId, reason }, { timeoutMs: CATALOG_CALL_TIMEOUT_MS }).catch((error: unknown) => {
        // READY or DELETED after all: the job is done, not dead.
        if (!isStateConflict(error)) throw error;
        failed = false;
      });
    }
    if (failed) await publishDeadLetter(js, topology, { jobId: job?.jobId ?? "", data: stored.data, reason, deliveries: advisory.deliveries });
    await jsm.streams.deleteMessage(topology.streams.jobs, advisory.stream_seq).catch((error: unknown) => {
      if (!isMissingMessage(error)) throw error;
    });
    if (failed && job?.videoId) {
      await removeAbandonedAttempts(options.storage, job.videoId).catch((error: unknown) =>
        logger.warn({ err: error, videoId: job.videoId }, "could not remove the outputs of a failed video's attempts"),
      );
    }
    logger.warn({ videoId: job?.videoId, seq: advisory.stream_seq, deliveries: advisory.deliveries, deadLettered: failed }, "job ran out of deliveries");
    message.ack();
  }

  return startConsumer({
    nats,
    stream: topology.streams.deadLetters,
    name: DEAD_LETTER_WATCHER_NAME,
    filterSubject: topology.maxDeliveriesAdvisorySubject,
    ackWaitMs: 30_000,
    capacity: 1,
    handle,
    logger,
  });
}
