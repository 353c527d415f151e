import { backoffDelay, type BackoffPolicy } from "./backoff.ts";
import type { EventQueue } from "./event-queue.ts";
import type { Transport } from "./transport.ts";
import { batchBody } from "./wire-json.ts";

export interface DeliveryOptions {
  queue: EventQueue;
  transport: Transport;
  backoff: BackoffPolicy;
  batchMaxEvents: number;
  /** Largest batch body; keepalive requests and beacons share a 64 KiB budget per page. */
  batchMaxBytes: number;
  flushIntervalMs: number;
}

export interface DeliveryStats {
  queued: number;
  dropped: number;
  delivered: number;
  retries: number;
}

export interface Delivery {
  /**
   * Sends queued batches now, one at a time, until the queue is empty or a
   * retry is scheduled; while backing off it leaves the queue to the retry.
   */
  flush(): Promise<void>;
  /** Sends the whole queue with sendBeacon, for a page that is going away. */
  flushWithBeacon(): void;
  /** Called after each enqueue: starts a batch as soon as one is full. */
  notifyQueued(): void;
  /** Stops the timer once everything queued is delivered or dropped. */
  close(): void;
  stats(): DeliveryStats;
}

const envelopeBytes = 16;

export function createDelivery(options: DeliveryOptions): Delivery {
  const { queue, transport, backoff, batchMaxEvents } = options;
  const maxEventBytes = options.batchMaxBytes - envelopeBytes;
  let attempt = 0;
  let backingOff = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closing = false;
  let delivered = 0;
  let retries = 0;

  const timer = setInterval(() => {
    if (queue.size > 0) void flush();
  }, options.flushIntervalMs);
  const stopWhenDone = () => {
    if (closing && queue.size === 0) clearInterval(timer);
  };

  const scheduleRetry = (delayMs: number) => {
    retries++;
    backingOff = true;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      backingOff = false;
      void flush();
    }, delayMs);
  };

  const drain = async () => {
    while (queue.size > 0 && !backingOff) {
      const batch = queue.peekBatch(batchMaxEvents, maxEventBytes);
      const result = await transport.send(batchBody(batch.map((e) => e.json)));
      if (result.outcome === "retry") {
        scheduleRetry(Math.max(result.retryAfterMs ?? 0, backoffDelay(attempt++, backoff)));
        return;
      }
      attempt = 0;
      if (result.outcome === "delivered") {
        queue.remove(batch);
        delivered += batch.length;
      } else {
        queue.discard(batch);
      }
    }
  };

  // One batch in flight at a time: a second flush waits for the first and then drains what is left.
  const flush = (): Promise<void> => {
    const previous = running ?? Promise.resolve();
    const next = previous.then(drain).finally(() => {
      if (running === next) running = undefined;
      stopWhenDone();
    });
    running = next;
    return next;
  };

  return {
    flush,
    flushWithBeacon() {
      while (queue.size > 0) {
        const batch = queue.peekBatch(batchMaxEvents, maxEventBytes);
        if (!transport.beacon(batchBody(batch.map((e) => e.json)))) return;
        queue.remove(batch);
        delivered += batch.length;
      }
      stopWhenDone();
    },
    notifyQueued() {
      if (queue.size >= batchMaxEvents && !running) void flush();
    },
    close() {
      closing = true;
      stopWhenDone();
    },
    stats: () => ({ queued: queue.size, dropped: queue.dropped, delivered, retries }),
  };
}
