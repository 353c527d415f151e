import type { NatsConnection } from "nats";
import { startConsumer } from "../consumers/start-consumer.ts";
import { JOB_CONSUMER_NAME } from "../jobs/job-consumer.ts";
import type { SlotGate } from "../consumers/slot-gate.ts";
import { handleRangeMessage, type RangeHandlerDeps } from "./range-handler.ts";

/** Durable name shared by every transcoder host for range jobs, apart from whole-video jobs. */
export const RANGE_CONSUMER_NAME = "transcoder-ranges";

export interface RangeConsumerOptions extends RangeHandlerDeps {
  nats: NatsConnection;
  /** The pool's slots, shared with the whole-video consumer, which goes first. */
  slots: SlotGate;
}

export interface RangeConsumer {
  stopTaking(): Promise<void>;
  idle(timeoutMs: number): Promise<boolean>;
  handBackAll(): void;
}

/**
 * Takes range jobs (ranges and joins of chunked videos) into the pool's
 * free slots, but only while no whole-video job is waiting: a short upload
 * queued behind a long video waits for at most one range per slot. No
 * MaxDeliver: the handler counts deliveries itself.
 */
export async function startRangeConsumer(options: RangeConsumerOptions): Promise<RangeConsumer> {
  const { nats, topology, settings, logger } = options;
  const running = new Set<AbortController>();
  const jsm = await nats.jetstreamManager();
  const loop = await startConsumer({
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
    async handle(message) {
      const controller = new AbortController();
      running.add(controller);
      try {
        const outcome = await handleRangeMessage(message, controller.signal, options);
        logger.debug({ seq: message.seq, outcome }, "range job delivery settled");
      } finally {
        running.delete(controller);
      }
    },
  });
  logger.info({ consumer: RANGE_CONSUMER_NAME }, "taking range jobs");
  return {
    stopTaking: () => loop.stop(),
    idle: (timeoutMs) => loop.idle(timeoutMs),
    handBackAll() {
      for (const controller of running) controller.abort(new Error("transcoder shutting down"));
    },
  };
}
