import pg from "pg";
import type { Logger } from "@kino/platform";

export interface ChangeSubscription {
  /** Resolves on the next change of the video, or after the poll interval at the latest. */
  next(): Promise<void>;
  close(): void;
}

export interface VideoChangeFeed {
  subscribe(videoId: string, signal: AbortSignal): ChangeSubscription;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process fans PostgreSQL's change notifications
 * out to watchers. Notifications are a wake-up, not the data: watchers
 * re-read the row, and also wake on a timer, so a lost connection only slows
 * them down.
 */
export function createVideoChangeFeed(options: { url: string; logger: Logger; pollMs?: number }): VideoChangeFeed {
  const pollMs = options.pollMs ?? 2000;
  const waiters = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const wake = (videoId: string) => {
    const set = waiters.get(videoId);
    if (!set) return;
    waiters.delete(videoId);
    for (const resolve of set) resolve();
  };

  const listen = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.url });
    next.on("notification", (message) => message.payload && wake(message.payload));
    next.on("error", () => {
      next.end().catch(() => {});
      if (client === next) client = undefined;
      scheduleListen();
    });
    try {
      await next.connect();
      await next.query("LISTEN kino_video_changed");
      if (closed) return void (await next.end());
      client = next;
    } catch (error) {
      options.logger.warn({ err: error }, "change feed cannot listen yet; watchers fall back to polling");
      next.end().catch(() => {});
      scheduleListen();
    }
  };
  const scheduleListen = () => {
    if (!closed && !retry) retry = setTimeout(() => ((retry = undefined), void listen()), 1000);
  };
  void listen();

  return {
    subscribe(videoId, signal) {
      let pending: (() => void) | undefined;
      const onAbort = () => pending?.();
      signal.addEventListener("abort", onAbort);
      return {
        next: () =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(done, pollMs);
            function done() {
              clearTimeout(timer);
              waiters.get(videoId)?.delete(done);
              pending = undefined;
              resolve();
            }
            pending = done;
            if (signal.aborted) return done();
            const set = waiters.get(videoId) ?? new Set();
            set.add(done);
            waiters.set(videoId, set);
          }),
        close() {
          signal.removeEventListener("abort", onAbort);
          pending?.();
        },
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      for (const id of [...waiters.keys()]) wake(id);
      await client?.end().catch(() => {});
    },
  };
}
