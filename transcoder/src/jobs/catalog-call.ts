import type { Logger } from "@kino/platform";
import { setTimeout as sleep } from "node:timers/promises";
import { describeCatalogError, isPermanentRefusal } from "./catalog-errors.ts";

export interface CatalogCallOptions {
  /** Aborting stops the retries; the call then rejects with the signal's reason. */
  signal: AbortSignal;
  logger: Logger;
  /** What the call does, for the logs. */
  what: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Calls the catalog until it answers. Transient failures (unreachable, timed
 * out, internal) are retried with backoff while the job keeps its lease, so
 * a catalog outage neither uses up the job's deliveries nor fails videos.
 * Refusals (not found, failed precondition, invalid argument) are thrown at
 * once. Every lifecycle call is idempotent, so repeating one whose answer
 * was lost is safe.
 */
export async function callCatalog<T>(call: () => Promise<T>, options: CatalogCallOptions): Promise<T> {
  let delayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  for (let failures = 1; ; failures++) {
    options.signal.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      if (isPermanentRefusal(error)) throw error;
      // The first failure and then every tenth: an outage should not flood the logs.
      if (failures === 1 || failures % 10 === 0) options.logger.warn({ why: describeCatalogError(error), failures }, `${options.what}: catalog unavailable; retrying`);
      await sleep(delayMs, undefined, { signal: options.signal }).catch(() => undefined);
      delayMs = Math.min(maxDelayMs, delayMs * 2);
    }
  }
}
