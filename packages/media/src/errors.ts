import { KinoError } from "@kino/platform";
import type { RejectionCode } from "./classify.ts";

export type FfmpegErrorCode = "ffmpeg_failed" | "ffmpeg_unavailable";

/**
 * An ffmpeg or ffprobe process failed. `reason` is the line of its stderr
 * that says what went wrong; `stderrTail` keeps the last lines for logs.
 */
export class FfmpegError extends Error {
  override readonly name = "FfmpegError";
  readonly code: FfmpegErrorCode;
  readonly program: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly reason: string;
  readonly stderrTail: readonly string[];

  constructor(
    code: FfmpegErrorCode,
    details: { program: string; exitCode: number | null; signal?: NodeJS.Signals | null; reason: string; stderrTail?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    const how = details.signal ? `killed by ${details.signal}` : `exit ${details.exitCode}`;
    super(code === "ffmpeg_unavailable" ? `${details.program} could not be started: ${details.reason}` : `${details.program} failed (${how}): ${details.reason}`, options);
    this.code = code;
    this.program = details.program;
    this.exitCode = details.exitCode;
    this.signal = details.signal ?? null;
    this.reason = details.reason;
    this.stderrTail = details.stderrTail ?? [];
  }

  static is(value: unknown, code?: FfmpegErrorCode): value is FfmpegError {
    return value instanceof FfmpegError && (code === undefined || value.code === code);
  }
}

/**
 * The source is not something Kino can turn into a video. Retrying cannot
 * help; `reason` is written for the uploader ("file is empty").
 */
export class UnplayableSourceError extends KinoError {
  readonly rejection: RejectionCode;
  readonly reason: string;

  constructor(rejection: RejectionCode, reason: string) {
    super("invalid_argument", `source rejected: ${reason}`);
    this.rejection = rejection;
    this.reason = reason;
  }
}
