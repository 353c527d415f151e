import { LockTable, type LockEffects } from "./lock-table.ts";
import type { ToPrimary, ToWorker } from "./worker-messages.ts";

export interface PrimaryBrokerOptions {
  send(worker: number, message: ToWorker): void;
  /** Every worker's metrics summed, as Prometheus text. */
  metricsText(): Promise<string>;
}

export interface PrimaryBroker {
  handle(worker: number, message: ToPrimary): void;
  /** A worker exited: its locks go to whoever waits next. */
  workerGone(worker: number): void;
}

/** The primary's side of the worker channel: the upload lock table and the metrics sum. */
export function createPrimaryBroker(options: PrimaryBrokerOptions): PrimaryBroker {
  const table = new LockTable();
  const apply = (effects: LockEffects) => {
    for (const owner of effects.granted) options.send(owner.worker, { kino: "lock-granted", lock: owner.lock });
    for (const owner of effects.askedToRelease) options.send(owner.worker, { kino: "lock-release-requested", lock: owner.lock });
  };
  return {
    handle(worker, message) {
      switch (message.kino) {
        case "lock":
          return apply(table.acquire(message.key, { worker, lock: message.lock }, message.polite));
        case "unlock":
          return apply(table.release({ worker, lock: message.lock }));
        case "metrics":
          options.metricsText().then(
            (text) => options.send(worker, { kino: "metrics-text", request: message.request, text }),
            (error: unknown) => options.send(worker, { kino: "metrics-text", request: message.request, error: String((error as Error)?.message ?? error) }),
          );
          return;
      }
    },
    workerGone: (worker) => apply(table.dropWorker(worker)),
  };
}
