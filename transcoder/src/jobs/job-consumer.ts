import type { NatsConnection } from "nats";
import type { SlotGate } from "../consumers/slot-gate.ts";
import { startConsumer } from "../consumers/start-consumer.ts";
import { handleJobMessage, type JobHandlerDeps } from "./job-handler.ts";

/** Durable name shared by every transcoder host: together they form one work queue's consumers. */
export const JOB_CONSUMER_NAME = "transcoders";

export interface JobConsumerOptions extends JobHandlerDeps {
  nats: NatsConnection;
  /** The pool's slots, shared with the range consumer. */
  slots?: SlotGate;
}

export interface JobConsumer {
  /** Jobs this host is working on now. */
  readonly running: number;
  /** Takes no more jobs; running ones carry on. */
  stopTaking(): Promise<void>;
  /** Resolves true once every running job has settled, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
  /** Stops every running job's encode; each is handed back to the queue for another host. */
  handBackAll(): void;
}

/**
 * Takes transcode jobs from the jobs stream no faster than the pool has
 * free slots. A job that keeps killing its transcoder ends after
 * maxAttempts + 2 deliveries, where the MaxDeliver advisory takes over
 * (see the dead-letter watcher); ordinary failures end sooner, in the handler.
 */
export async function startJobConsumer(options: JobConsumerOptions): Promise<JobConsumer> {
  const { nats, topology, settings, logger } = options;
  const running = new Set<AbortController>();
  const loop = await startConsumer({
    nats,
    stream: topology.streams.jobs,
    name: JOB_CONSUMER_NAME,
    filterSubject: topology.transcodeJobSubject,
    ackWaitMs: settings.ackWaitMs,
    maxDeliver: settings.maxAttempts + 2,
    capacity: options.pool.concurrency,
    ...(options.slots ? { slots: options.slots } : {}),
    logger,
    retryDelayMs: Math.max(1000, settings.retryBackoffMs),
    async handle(message) {
      const controller = new AbortController();
      running.add(controller);
      try {
        const outcome = await handleJobMessage(message, controller.signal, options);
        logger.debug({ seq: message.seq, outcome }, "job delivery settled");
      } finally {
        running.delete(controller);
      }
    },
  });
  logger.info({ consumer: JOB_CONSUMER_NAME, capacity: options.pool.concurrency }, "taking transcode jobs");

  return {
    get running() {
      return loop.active;
    },
    stopTaking: () => loop.stop(),
    idle: (timeoutMs) => loop.idle(timeoutMs),
    handBackAll() {
      for (const controller of running) controller.abort(new Error("transcoder shutting down"));
    },
  };
}
