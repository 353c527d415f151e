import { StorageError } from "@kino/storage";
import { FfmpegError, UnplayableSourceError } from "@kino/media";

/**
 * What a failed attempt means for the job:
 * - unplayable: the source can never be transcoded; give up at once.
 * - host: this host or a dependency is broken (ffmpeg missing, storage down);
 *   hand the job back for later without judging the video.
 * - attempt: the encode itself failed; retry up to the limit, then give up
 *   with `reason` as the video's failure reason.
 */
export type AttemptFailure = { kind: "unplayable"; reason: string } | { kind: "host"; detail: string } | { kind: "attempt"; reason: string };

export function classifyAttemptFailure(error: unknown): AttemptFailure {
  if (error instanceof UnplayableSourceError) return { kind: "unplayable", reason: error.reason };
  if (FfmpegError.is(error, "ffmpeg_unavailable")) return { kind: "host", detail: error.message };
  if (error instanceof FfmpegError) return { kind: "attempt", reason: error.reason };
  if (StorageError.is(error, "unavailable")) return { kind: "host", detail: error.message };
  if (StorageError.is(error, "not_found")) return { kind: "attempt", reason: "the uploaded source file is missing" };
  // Details of unexpected errors go to the logs; the owner sees a plain sentence.
  return { kind: "attempt", reason: "transcoding failed with an internal error" };
}

/** Delay before delivery `deliveryCount + 1`: the base, doubled for each attempt already made. */
export function retryDelayMs(baseMs: number, deliveryCount: number): number {
  return baseMs * 2 ** Math.max(0, deliveryCount - 1);
}
