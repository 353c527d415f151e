import { setTimeout as sleep } from "node:timers/promises";

export interface WaitReadyOptions {
  probe(): Promise<void>;
  timeoutMs: number;
  /** Stops waiting early: a process that died will never answer. */
  running(): boolean;
  intervalMs?: number;
}

export type WaitReadyResult = { ready: true } | { ready: false; reason: "exited" | "timeout"; lastError?: unknown };

/** Probes until the probe succeeds, the process dies, or the time is up. */
export async function waitUntilReady(options: WaitReadyOptions): Promise<WaitReadyResult> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (!options.running()) return { ready: false, reason: "exited", lastError };
    try {
      await options.probe();
      return { ready: true };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) return { ready: false, reason: "timeout", lastError };
    await sleep(options.intervalMs ?? 100);
  }
}
