import type { KinoError, Logger } from "@kino/platform";

/** What answering a batch has to report. */
export interface IngestLog {
  /** The buffer could not take a batch (full, or NATS unreachable); the client was told to retry. */
  refused(error: KinoError): void;
  /** A batch failed unexpectedly: a bug, logged every time. */
  failed(error: unknown): void;
}

export interface IngestLogOptions {
  /** At most one line about refused batches per this many milliseconds. */
  refusedEveryMs: number;
  now?: () => number;
}

/**
 * While the buffer is full or unreachable, every batch is refused: a line
 * per batch would be thousands of lines a second. The first refusal is
 * logged at once, the next once the interval has passed, with how many
 * went unlogged in between (the exact count is in kino_collector_batches_total).
 */
export function createIngestLog(logger: Logger, options: IngestLogOptions): IngestLog {
  const now = options.now ?? Date.now;
  let lastLineAt = -Infinity;
  let unlogged = 0;
  return {
    refused(error) {
      const at = now();
      if (at - lastLineAt < options.refusedEveryMs) {
        unlogged++;
        return;
      }
      logger.warn({ err: error, refusedSinceLastLine: unlogged }, "beacon batch refused: buffer cannot take it");
      lastLineAt = at;
      unlogged = 0;
    },
    failed(error) {
      logger.error({ err: error }, "beacon batch failed");
    },
  };
}
