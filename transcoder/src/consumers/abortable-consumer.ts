import type { JsMsg } from "nats";
import { startConsumer, type StartConsumerOptions } from "./start-consumer.ts";

/** A durable consumer whose running messages can be stopped and handed back (at shutdown). */
export interface AbortableConsumer {
  /** Messages being handled now. */
  readonly running: number;
  /** Takes no more messages; running ones carry on. */
  stopTaking(): Promise<void>;
  /** Resolves true once every running message has settled, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
  /** Aborts every running message's signal; each handler hands its message back for another host. */
  handBackAll(): void;
}

export interface AbortableConsumerOptions extends Omit<StartConsumerOptions, "handle"> {
  /** Settles the message; `signal` aborts when the host hands its work back. Resolves with how it ended, for the debug log. */
  handle(message: JsMsg, signal: AbortSignal): Promise<string>;
}

/** startConsumer with an abort signal per message, so shutdown can stop running work. */
export async function startAbortableConsumer(options: AbortableConsumerOptions): Promise<AbortableConsumer> {
  const running = new Set<AbortController>();
  const loop = await startConsumer({
    ...options,
    async handle(message) {
      const controller = new AbortController();
      running.add(controller);
      try {
        const outcome = await options.handle(message, controller.signal);
        options.logger.debug({ consumer: options.name, seq: message.seq, outcome }, "delivery settled");
      } finally {
        running.delete(controller);
      }
    },
  });
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
