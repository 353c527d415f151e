import type { Logger } from "@kino/platform";
import { databaseError } from "@kino/database";

export interface PollingWorker {
  /** Look for work now instead of at the next poll. */
  wake(): void;
  /** Finishes the round under way, then stops. */
  stop(): Promise<void>;
}

/**
 * Runs `round` again and again: at once while it finds work, otherwise
 * after `pollMs` or a wake(), whichever comes first. A failing round (the
 * database down) is logged and retried at the poll interval.
 */
export function startPollingWorker(options: { name: string; pollMs: number; round: () => Promise<number>; logger: Logger }): PollingWorker {
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let failures = 0;
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (woken || stopping) return resolve();
      const timer = setTimeout(done, options.pollMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  const loop = (async () => {
    while (!stopping) {
      woken = false;
      let found = 0;
      try {
        found = await options.round();
        if (failures > 0) options.logger.info({ worker: options.name }, "worker recovered");
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 50 === 0) {
          options.logger.warn({ err: databaseError(error).cause ?? error, worker: options.name, failures }, "worker round failed");
        }
      }
      if (found === 0) await sleep();
    }
  })();
  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
    },
  };
}
