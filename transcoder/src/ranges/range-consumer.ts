import type { NatsConnection } from "nats";
import { startAbortableConsumer, type AbortableConsumer } from "../consumers/abortable-consumer.ts";
import type { SlotGate } from "../consumers/slot-gate.ts";
import { JOB_CONSUMER_NAME } from "../jobs/job-consumer.ts";
import { handleRangeMessage, type RangeHandlerDeps } from "./range-handler.ts";

/** Durable name shared by every transcoder host for range jobs, apart from whole-video jobs. */
export const RANGE_CONSUMER_NAME = "transcoder-ranges";

export interface RangeConsumerOptions extends RangeHandlerDeps {
  nats: NatsConnection;
  /** The pool's slots, shared with the whole-video consumer, which goes first. */
  slots: SlotGate;
}

/**
 * Takes range jobs (ranges and joins of chunked videos) into the pool's
 * free slots, but only while no whole-video job is waiting: a short upload
 * queued behind a long video waits for at most one range per slot. No
 * MaxDeliver: the handler counts deliveries itself.
 */
export async function startRangeConsumer(options: RangeConsumerOptions): Promise<AbortableConsumer> {
  const { nats, topology, settings, logger } = options;
  const jsm = await nats.jetstreamManager();
  const consumer = await startAbortableConsumer({
    nats,
    stream: topology.streams.jobs,
    name: RANGE_CONSUMER_NAME,
    filterSubject: topology.allRangeJobsSubject,
    ackWaitMs: settings.ackWaitMs,
    capacity: options.pool.concurrency,
    slots: options.slots,
    // Whole-video jobs first: a range waits while one is queued and undelivered.
    yieldFirst: async () => {
      const info = await jsm.consumers.info(topology.streams.jobs, JOB_CONSUMER_NAME).catch(() => undefined);
      return (info?.num_pending ?? 0) > 0;
    },
    logger,
    retryDelayMs: Math.max(1000, settings.retryBackoffMs),
    handle: (message, signal) => handleRangeMessage(message, signal, options),
  });
  logger.info({ consumer: RANGE_CONSUMER_NAME }, "taking range jobs");
  return consumer;
}
