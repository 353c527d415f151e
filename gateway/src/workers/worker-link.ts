import { AggregatorRegistry, type Registry } from "prom-client";
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/server";
import { isKinoMessage, type Channel, type ToPrimary, type ToWorker } from "./worker-messages.ts";

export interface WorkerLinkOptions {
  /** How long a request waits for an upload's lock before it is answered 500 (tus's lock timeout); default 30 s. */
  lockTimeoutMs?: number;
  /** How long /metrics waits for the primary's sum over the workers; default 5 s. */
  metricsTimeoutMs?: number;
}

/** What a worker gets from its primary: locks that hold across workers and metrics summed over them. */
export interface WorkerLink {
  /** tus's locker: one request at a time per upload, whichever worker it reached. */
  locker: Locker;
  /** Runs `work` while no other worker runs work under `key`; waits as long as that takes, asking nobody to stop. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Offers `registry` to the primary's sum and returns what /metrics answers: every worker's metrics together. */
  metricsOf(registry: Registry): () => Promise<string>;
}

interface Waiter {
  granted: () => void;
  requestRelease?: RequestRelease;
}

export function createWorkerLink(channel: Channel<ToPrimary, ToWorker>, options: WorkerLinkOptions = {}): WorkerLink {
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const metricsTimeoutMs = options.metricsTimeoutMs ?? 5000;
  let next = 0;
  const locks = new Map<number, Waiter>();
  const metricsRequests = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();

  channel.onMessage((message) => {
    switch (message.kino) {
      case "lock-granted":
        return locks.get(message.lock)?.granted();
      case "lock-release-requested":
        return void locks.get(message.lock)?.requestRelease?.();
      case "metrics-text": {
        const pending = metricsRequests.get(message.request);
        metricsRequests.delete(message.request);
        if (message.text !== undefined) pending?.resolve(message.text);
        else pending?.reject(new Error(`metrics of the other workers: ${message.error ?? "no answer"}`));
        return;
      }
    }
  });

  class ClusterLock implements Lock {
    #id: number | undefined;
    constructor(readonly key: string) {}

    lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
      const id = ++next;
      return new Promise<void>((resolve, reject) => {
        const giveUp = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", giveUp);
          locks.delete(id);
          // Also frees a grant already on its way: the primary releases whatever this id holds.
          channel.send({ kino: "unlock", lock: id });
          reject(ERRORS.ERR_LOCK_TIMEOUT);
        };
        const timer = setTimeout(giveUp, lockTimeoutMs);
        signal.addEventListener("abort", giveUp);
        locks.set(id, {
          granted: () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", giveUp);
            this.#id = id;
            locks.set(id, { granted: () => {}, requestRelease });
            resolve();
          },
        });
        if (signal.aborted) return giveUp();
        channel.send({ kino: "lock", lock: id, key: this.key, polite: false });
      });
    }

    async unlock(): Promise<void> {
      const id = this.#id;
      if (id === undefined) throw new Error(`releasing upload lock ${this.key}, which this request does not hold`);
      this.#id = undefined;
      locks.delete(id);
      channel.send({ kino: "unlock", lock: id });
    }
  }

  return {
    locker: { newLock: (key) => new ClusterLock(key) },
    async exclusive(key, work) {
      const id = ++next;
      await new Promise<void>((resolve) => {
        locks.set(id, { granted: resolve });
        channel.send({ kino: "lock", lock: id, key, polite: true });
      });
      try {
        return await work();
      } finally {
        locks.delete(id);
        channel.send({ kino: "unlock", lock: id });
      }
    },
    metricsOf(registry) {
      // prom-client answers the primary's requests for this worker's metrics once an aggregator exists here.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([registry]);
      return metricsText;
    },
  };

  function metricsText(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const request = ++next;
      const timer = setTimeout(() => {
        metricsRequests.delete(request);
        reject(new Error(`the primary did not sum the workers' metrics within ${metricsTimeoutMs} ms`));
      }, metricsTimeoutMs);
      metricsRequests.set(request, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      channel.send({ kino: "metrics", request });
    });
  }
}

/** The worker's end of the cluster's IPC channel; other messages on it (prom-client's) are left alone. */
export function processChannel(): Channel<ToPrimary, ToWorker> {
  return {
    // Once the primary is gone the channel is closed (sending would throw); the worker is shutting down then.
    send: (message) => {
      if (process.connected) process.send?.(message);
    },
    onMessage: (listener) => process.on("message", (message: unknown) => isKinoMessage<ToWorker>(message) && listener(message)),
  };
}
