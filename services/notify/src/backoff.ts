export interface RetrySettings {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
  /** How long after its start a delivery (or mail) is retried at all. */
  windowMs: number;
}

/**
 * The wait after `failedAttempts` failures: base · 2^(n−1), capped, then
 * scaled by a random factor in [0.5, 1) so that deliveries that failed
 * together (a receiver's outage) do not all come back at the same moment.
 */
export function retryDelayMs(settings: RetrySettings, failedAttempts: number, random: () => number = Math.random): number {
  const exponential = settings.baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40);
  return Math.round(Math.min(settings.maxDelayMs, exponential) * (0.5 + random() / 2));
}

/** When the next attempt is due, or undefined when the window is spent and the work is given up. */
export function nextAttemptAt(settings: RetrySettings, windowStart: Date, failedAttempts: number, now: Date): Date | undefined {
  if (now.getTime() - windowStart.getTime() >= settings.windowMs) return undefined;
  return new Date(now.getTime() + retryDelayMs(settings, failedAttempts));
}
