import { StorageError, type StorageErrorCode } from "@kino/storage";
import type { RejectionCode } from "@kino/media";
import { FfmpegError, UnplayableSourceError, type FfmpegErrorCode } from "@kino/media";

/**
 * A job failure as plain data. Errors thrown in a worker thread lose their
 * class and fields on the way to the main thread; this keeps what callers
 * branch on (source rejected vs ffmpeg vs storage) so they can decide
 * between FAILED and a retry.
 */
export type JobFailure =
  | { kind: "unplayable_source"; rejection: RejectionCode; reason: string }
  | { kind: "ffmpeg"; code: FfmpegErrorCode; program: string; exitCode: number | null; signal: NodeJS.Signals | null; reason: string; stderrTail: string[] }
  | { kind: "storage"; code: StorageErrorCode; message: string }
  | { kind: "aborted" }
  | { kind: "other"; message: string; stack?: string };

export function toJobFailure(error: unknown, aborted: boolean): JobFailure {
  if (aborted) return { kind: "aborted" };
  if (error instanceof UnplayableSourceError) return { kind: "unplayable_source", rejection: error.rejection, reason: error.reason };
  if (error instanceof FfmpegError) {
    return { kind: "ffmpeg", code: error.code, program: error.program, exitCode: error.exitCode, signal: error.signal, reason: error.reason, stderrTail: [...error.stderrTail] };
  }
  if (error instanceof StorageError) return { kind: "storage", code: error.code, message: error.message };
  const plain = error instanceof Error ? error : new Error(String(error));
  return { kind: "other", message: plain.message, ...(plain.stack ? { stack: plain.stack } : {}) };
}

/** The error the same failure would have thrown had the job run in this thread. */
export function fromJobFailure(failure: Exclude<JobFailure, { kind: "aborted" }>): Error {
  switch (failure.kind) {
    case "unplayable_source":
      return new UnplayableSourceError(failure.rejection, failure.reason);
    case "ffmpeg":
      return new FfmpegError(failure.code, failure);
    case "storage":
      return new StorageError(failure.code, failure.message);
    case "other": {
      const error = new Error(`transcode worker failed: ${failure.message}`);
      if (failure.stack) error.stack = failure.stack;
      return error;
    }
  }
}
