import type { Logger } from "@kino/platform";
import type { JsMsg, NatsConnection } from "nats";
import { ensureDurableConsumer, type DurableConsumerOptions } from "./ensure-consumer.ts";
import { startPullLoop, type PullLoop } from "./pull-loop.ts";
import type { SlotGate } from "./slot-gate.ts";

export interface StartConsumerOptions extends DurableConsumerOptions {
  nats: NatsConnection;
  capacity: number;
  handle(message: JsMsg): Promise<void>;
  logger: Logger;
  retryDelayMs?: number;
  slots?: SlotGate;
  yieldFirst?: () => Promise<boolean>;
}

/** Ensures the durable consumer, then pulls from it with bounded concurrency. */
export async function startConsumer(options: StartConsumerOptions): Promise<PullLoop> {
  await ensureDurableConsumer(await options.nats.jetstreamManager(), options);
  const consumer = await options.nats.jetstream().consumers.get(options.stream, options.name);
  return startPullLoop({
    consumer,
    capacity: options.capacity,
    handle: options.handle,
    logger: options.logger.child({ consumer: options.name }),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.slots ? { slots: options.slots } : {}),
    ...(options.yieldFirst ? { yieldFirst: options.yieldFirst } : {}),
  });
}
