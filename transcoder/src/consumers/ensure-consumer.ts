import { AckPolicy, DeliverPolicy, nanos, type JetStreamManager } from "nats";

export interface DurableConsumerOptions {
  stream: string;
  /** Shared by every transcoder host, so they split the messages between them. */
  name: string;
  filterSubject: string;
  ackWaitMs: number;
  /** Deliveries before the server gives up and publishes a MaxDeliver advisory; unlimited when absent. */
  maxDeliver?: number;
}

function isNotFound(error: unknown): boolean {
  return /consumer not found/i.test(String((error as Error)?.message ?? error));
}

/**
 * Creates the durable pull consumer, or brings the settings a deployment may
 * change (lease, delivery limit) up to date; safe on every start of every host.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, options: DurableConsumerOptions): Promise<void> {
  const editable = { ack_wait: nanos(options.ackWaitMs), max_deliver: options.maxDeliver ?? -1 };
  const exists = await jsm.consumers.info(options.stream, options.name).then(
    () => true,
    (error: unknown) => {
      if (isNotFound(error)) return false;
      throw error;
    },
  );
  if (!exists) {
    try {
      await jsm.consumers.add(options.stream, {
        durable_name: options.name,
        filter_subject: options.filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ...editable,
      });
      return;
    } catch (error) {
      // Another host created it between our info and add, possibly with other settings: update below.
      if (!/already (exists|in use)/i.test(String((error as Error)?.message ?? error))) throw error;
    }
  }
  await jsm.consumers.update(options.stream, options.name, editable);
}
