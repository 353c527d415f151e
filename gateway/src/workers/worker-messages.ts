/**
 * What a gateway worker and its primary say to each other over the cluster's
 * IPC channel. Every message carries `kino`, so the channel can be shared
 * with prom-client's own aggregation messages.
 */
export type ToPrimary =
  /** `polite`: wait without asking the holder to let go (tus asks, so a stalled request gives way to its retry). */
  | { kino: "lock"; lock: number; key: string; polite: boolean }
  /** Releases a held lock, or gives up waiting for it. */
  | { kino: "unlock"; lock: number }
  | { kino: "metrics"; request: number };

export type ToWorker =
  | { kino: "lock-granted"; lock: number }
  | { kino: "lock-release-requested"; lock: number }
  | { kino: "metrics-text"; request: number; text?: string; error?: string };

/** One end of the channel: the worker's `process`, or an in-memory pair in tests. */
export interface Channel<Out, In> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

export function isKinoMessage<T extends { kino: string }>(message: unknown): message is T {
  return typeof message === "object" && message !== null && typeof (message as { kino?: unknown }).kino === "string";
}
