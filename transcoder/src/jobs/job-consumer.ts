import type { NatsConnection } from "nats";
import { startAbortableConsumer, type AbortableConsumer } from "../consumers/abortable-consumer.ts";
import type { SlotGate } from "../consumers/slot-gate.ts";
import { handleJobMessage, type JobHandlerDeps } from "./job-handler.ts";

/** Durable name shared by every transcoder host: together they form one work queue's consumers. */
export const JOB_CONSUMER_NAME = "transcoders";

export interface JobConsumerOptions extends JobHandlerDeps {
  nats: NatsConnection;
  /** The pool's slots, shared with the range consumer. */
  slots?: SlotGate;
}

/**
 * Takes transcode jobs from the jobs stream no faster than the pool has
 * free slots. A job that keeps killing its transcoder ends after
 * maxAttempts + 2 deliveries, where the MaxDeliver advisory takes over
 * (see the dead-letter watcher); ordinary failures end sooner, in the handler.
 */
export async function startJobConsumer(options: JobConsumerOptions): Promise<AbortableConsumer> {
  const { nats, topology, settings, logger } = options;
  const consumer = await startAbortableConsumer({
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
    handle: (message, signal) => handleJobMessage(message, signal, options),
  });
  logger.info({ consumer: JOB_CONSUMER_NAME, capacity: options.pool.concurrency }, "taking transcode jobs");
  return consumer;
}
