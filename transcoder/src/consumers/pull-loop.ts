import type { Logger } from "@kino/platform";
import type { Consumer, ConsumerMessages, JsMsg } from "nats";
import type { SlotGate } from "./slot-gate.ts";

export interface PullLoopOptions {
  consumer: Consumer;
  /** Messages handled at once; the loop asks the server for no more than the free slots. */
  capacity: number;
  /** Settles the message itself (ack, nak or term); a throw is logged and the message handed back after `retryDelayMs`. */
  handle(message: JsMsg): Promise<void>;
  logger: Logger;
  /** How long one pull waits on an empty stream. */
  fetchExpiresMs?: number;
  retryDelayMs?: number;
  /** Slots shared with other loops of this host: each message takes one until it settles. */
  slots?: SlotGate;
  /** Asked before each pull: true while another loop's messages should go first (this one waits `yieldMs`). */
  yieldFirst?: () => Promise<boolean>;
  yieldMs?: number;
}

export interface PullLoop {
  /** Messages being handled now. */
  readonly active: number;
  /** Stops pulling; resolves once no pull is outstanding. Messages being handled carry on. */
  stop(): Promise<void>;
  /** Resolves true once every message being handled has settled, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
}

function delay(ms: number, until: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), until]).finally(() => clearTimeout(timer));
}

/**
 * Pulls from a durable consumer only while a slot is free, so a message is
 * never taken from the server (and its lease started) before there is
 * capacity to work on it; other hosts get it instead.
 */
export function startPullLoop(options: PullLoopOptions): PullLoop {
  const { consumer, capacity, logger } = options;
  const fetchExpiresMs = options.fetchExpiresMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const active = new Set<Promise<void>>();
  let stopping = false;
  let pulling: ConsumerMessages | undefined;
  let signalStop!: () => void;
  const stopped = new Promise<void>((resolve) => (signalStop = resolve));

  function track(message: JsMsg): void {
    options.slots?.take();
    const task = options.handle(message).catch((error: unknown) => {
      logger.error({ err: error, subject: message.subject, seq: message.seq }, "message handler failed; handing the message back");
      try {
        message.nak(retryDelayMs);
      } catch (nakError) {
        // Disconnected: the lease lapses and the server redelivers.
        logger.warn({ err: nakError }, "could not hand a message back");
      }
    });
    const done = task.finally(() => {
      active.delete(done);
      options.slots?.release();
    });
    active.add(done);
  }

  async function pullOnce(free: number): Promise<void> {
    const messages = await consumer.fetch({ max_messages: free, expires: fetchExpiresMs });
    pulling = messages;
    if (stopping) messages.stop();
    for await (const message of messages) {
      // A message that arrives while stopping goes straight back for another host.
      if (stopping) message.nak();
      else track(message);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      const free = Math.min(capacity - active.size, options.slots?.free ?? Infinity);
      if (free <= 0) {
        await Promise.race([...active, stopped, ...(options.slots ? [options.slots.released()] : [])]);
        continue;
      }
      try {
        if (options.yieldFirst && (await options.yieldFirst())) {
          await delay(options.yieldMs ?? 1000, stopped);
          continue;
        }
        await pullOnce(free);
      } catch (error) {
        if (stopping) break;
        logger.warn({ err: error }, "pull from JetStream failed; retrying");
        await delay(1000, stopped);
      }
    }
  })();

  return {
    get active() {
      return active.size;
    },
    async stop() {
      stopping = true;
      signalStop();
      // Ends the outstanding pull now; the server skips a pull request whose subscriber is gone.
      pulling?.stop();
      await loop;
    },
    async idle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const settled = (async () => {
        while (active.size > 0) await Promise.allSettled([...active]);
        return true as const;
      })();
      try {
        return await Promise.race([settled, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
