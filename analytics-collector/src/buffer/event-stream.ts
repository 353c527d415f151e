import { AckPolicy, connect, DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from "nats";

export interface EventStreamOptions {
  name: string;
  subject: string;
  maxBytes: number;
  /** Largest message the publisher sends. */
  maxMessageBytes: number;
}

/**
 * The durable buffer between the collector and ClickHouse. File storage, a
 * work queue (a message is gone once the sink acks it, so the stream's size
 * is exactly the backlog), and DiscardNew: when full, publishes fail and the
 * collector answers 503 instead of dropping what it already acknowledged.
 * Resolves true when the stream did not exist and was created.
 */
export async function ensureEventStream(jsm: JetStreamManager, options: EventStreamOptions): Promise<boolean> {
  const config: Partial<StreamConfig> = {
    name: options.name,
    subjects: [options.subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_bytes: options.maxBytes,
    max_msg_size: options.maxMessageBytes,
    num_replicas: 1,
  };
  try {
    await jsm.streams.info(options.name);
  } catch {
    await jsm.streams.add(config);
    return true;
  }
  await jsm.streams.update(options.name, config);
  return false;
}

export interface SinkConsumerOptions {
  stream: string;
  name: string;
  ackWaitMs: number;
  maxAckPending: number;
}

/** The sink's durable pull consumer; acks are explicit, after the insert. */
export async function ensureSinkConsumer(jsm: JetStreamManager, options: SinkConsumerOptions): Promise<void> {
  const config = {
    durable_name: options.name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs),
    max_ack_pending: options.maxAckPending,
  };
  try {
    await jsm.consumers.info(options.stream, options.name);
  } catch {
    await jsm.consumers.add(options.stream, config);
    return;
  }
  await jsm.consumers.update(options.stream, options.name, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
}

/** Deletes the stream and everything buffered in it (tests, benchmarks, decommissioning). */
export async function deleteEventStream(natsUrl: string, name: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(name).catch((error: unknown) => {
      if (!/stream not found/i.test(String((error as Error)?.message))) throw error;
    });
  } finally {
    await nc.close();
  }
}
