/** How a supervisor paces restarts of a process that keeps dying. */
export interface RestartPolicy {
  /** Wait before the first restart. */
  initialDelayMs: number;
  /** The wait doubles per crash in a row, up to this. */
  maxDelayMs: number;
  /** A process that stayed up this long counts as healthy again: the next crash waits initialDelayMs. */
  resetAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restarting after the `crashesInARow`-th crash in a row (1 for the first). */
export function restartDelayMs(policy: RestartPolicy, crashesInARow: number): number {
  const doublings = Math.max(0, crashesInARow - 1);
  // Capped before multiplying, so a long crash loop never overflows to Infinity.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(doublings, 30));
}
