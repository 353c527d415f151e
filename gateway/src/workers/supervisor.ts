import cluster, { type Worker } from "node:cluster";
import type { Logger } from "@kino/platform";
import { AggregatorRegistry } from "prom-client";
import { createPrimaryBroker } from "./primary-broker.ts";
import { isKinoMessage, type ToPrimary } from "./worker-messages.ts";

export interface SupervisorOptions {
  workers: number;
  logger: Logger;
  /** A crashed worker is replaced after this, doubled per crash in the last minute up to 30 s; default 500 ms. */
  restartDelayMs?: number;
}

export interface Supervisor {
  /** Resolves once every worker listens; rejects if one exits before any ever did (a start failure). */
  ready: Promise<void>;
  /** SIGTERM to every worker, which drains as a single gateway would; SIGKILL to those left after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

const maxRestartDelayMs = 30_000;

/**
 * The primary of a multi-process gateway (KINO_GATEWAY_WORKERS > 1): forks
 * the workers, which share the listening port (the primary hands out
 * connections round-robin), replaces a crashed one, holds the upload locks
 * every worker takes (lock-table.ts) and sums their metrics for /metrics.
 * It serves no request itself.
 */
export function superviseWorkers(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  if (!Number.isInteger(options.workers) || options.workers < 2) throw new RangeError(`superviseWorkers: workers must be an integer >= 2, got ${options.workers}`);
  const restartDelayMs = options.restartDelayMs ?? 500;
  const aggregator = new AggregatorRegistry();
  const broker = createPrimaryBroker({
    send: (id, message) => {
      const worker = cluster.workers?.[id];
      if (worker?.isConnected()) worker.send(message);
    },
    metricsText: () => aggregator.clusterMetrics(),
  });
  let closing = false;
  let everListened = false;
  const crashes: number[] = [];
  let started!: () => void;
  let failedToStart!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    failedToStart = reject;
  });
  let listening = 0;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("message", (message: unknown) => {
      if (isKinoMessage<ToPrimary>(message)) broker.handle(worker.id, message);
    });
    worker.once("listening", () => {
      everListened = true;
      if (++listening === options.workers) started();
    });
    return worker;
  };

  cluster.on("exit", (worker, code, signal) => {
    broker.workerGone(worker.id);
    if (closing) return;
    if (!everListened) {
      closing = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      failedToStart(new Error(`gateway worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before listening`));
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes[0]! < now - 60_000) crashes.shift();
    const delay = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (crashes.length - 1));
    logger.error({ pid: worker.process.pid, code, signal, restartInMs: delay }, "gateway worker exited; replacing it");
    setTimeout(() => {
      if (!closing) fork();
    }, delay);
  });

  for (let i = 0; i < options.workers; i++) fork();

  return {
    ready,
    close: async (graceMs) => {
      closing = true;
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      const exited = alive.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once("exit", () => resolve()))));
      for (const worker of alive) worker.process.kill("SIGTERM");
      const timer = setTimeout(() => {
        for (const worker of alive) if (!worker.isDead()) worker.process.kill("SIGKILL");
      }, graceMs);
      await Promise.all(exited);
      clearTimeout(timer);
    },
  };
}
