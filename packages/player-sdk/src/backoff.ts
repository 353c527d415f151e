export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Longest delay, before jitter. */
  maxMs: number;
  /** A number in [0, 1), Math.random in production. */
  random: () => number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, random: Math.random };

/**
 * Delay before retry number `attempt` (from 0): exponential, capped, with
 * "equal jitter" (half fixed, half random) so players that failed together
 * do not come back together.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return ceiling / 2 + policy.random() * (ceiling / 2);
}

/** A Retry-After header (seconds or an HTTP date) as a delay from nowMs; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export type StatusVerdict = "delivered" | "retry" | "refused";

/**
 * What an answer of the collector means for the batch: 2xx stored (events it
 * rejected are named in the body, and resending them unchanged cannot help),
 * 408, 429 and 5xx are worth retrying, any other 4xx is final.
 */
export function statusVerdict(status: number): StatusVerdict {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "refused";
}
