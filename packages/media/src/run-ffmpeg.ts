import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FfmpegError } from "./errors.ts";
import { failureReason } from "./failure-reason.ts";
import { createProgressParser, type FfmpegProgress } from "./progress.ts";

export interface RunFfmpegOptions {
  /** argv without the program name; add `-progress pipe:1` to get progress events. */
  args: readonly string[];
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Duration of the media being written, so progress events carry a percent. */
  durationSeconds?: number;
  onProgress?: (event: FfmpegProgress) => void;
  /** How long ffmpeg gets to exit after SIGTERM before SIGKILL; default 250 ms. */
  killGraceMs?: number;
  /** Working directory, so filter options can name files relative to it (no filtergraph escaping of a host path). */
  cwd?: string;
  /**
   * Where ffmpeg's stdout (`pipe:1` as the output) goes, with backpressure,
   * instead of the progress parser; the run resolves once it has taken
   * everything, and a sink that fails stops ffmpeg with its error.
   */
  stdout?: Writable;
}

const STDERR_LINES_KEPT = 50;

/**
 * Runs ffmpeg to completion. Aborting the signal stops it (SIGTERM, then
 * SIGKILL) and rejects with the signal's reason; a non-zero exit rejects
 * with an FfmpegError naming the stderr line that explains it.
 */
export function runFfmpeg(options: RunFfmpegOptions): Promise<void> {
  const program = options.ffmpegPath ?? "ffmpeg";
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(program, options.args, { stdio: ["ignore", "pipe", "pipe"], ...(options.cwd ? { cwd: options.cwd } : {}) });
    const stderrLines: string[] = [];
    let stderrPending = "";
    let killTimer: NodeJS.Timeout | undefined;
    const parser = createProgressParser({ durationSeconds: options.durationSeconds, onProgress: (event) => options.onProgress?.(event) });

    let sinkError: unknown;
    const sunk = options.stdout
      ? pipeline(child.stdout, options.stdout).catch((error: unknown) => {
          sinkError ??= error;
          child.kill("SIGKILL");
        })
      : undefined;
    if (!options.stdout) child.stdout.on("data", (chunk: Buffer) => parser.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      const lines = (stderrPending + chunk.toString()).split(/\r?\n/);
      stderrPending = lines.pop() ?? "";
      stderrLines.push(...lines);
      if (stderrLines.length > STDERR_LINES_KEPT) stderrLines.splice(0, stderrLines.length - STDERR_LINES_KEPT);
    });

    const onAbort = (): void => {
      child.kill("SIGTERM");
      // An aborted run's output is thrown away, yet on SIGTERM ffmpeg drains its encoders (x264's lookahead of
      // every rung), which took over a second on a loaded host and overran a shutdown's hand-back reserve.
      killTimer = setTimeout(() => child.kill("SIGKILL"), options.killGraceMs ?? 250);
      killTimer.unref();
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    child.once("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(new FfmpegError("ffmpeg_unavailable", { program, exitCode: null, reason: error.message }, { cause: error }));
    });
    child.once("close", async (exitCode, exitSignal) => {
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(killTimer);
      await sunk;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (sinkError !== undefined) {
        reject(sinkError);
        return;
      }
      if (exitCode === 0) {
        resolve();
        return;
      }
      if (stderrPending) stderrLines.push(stderrPending);
      const reason = failureReason(stderrLines) ?? (exitSignal ? `killed by ${exitSignal}` : `exited with code ${exitCode}`);
      reject(new FfmpegError("ffmpeg_failed", { program, exitCode, signal: exitSignal, reason, stderrTail: stderrLines }));
    });
  });
}
