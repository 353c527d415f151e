import { execFile } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { FfmpegError } from "./errors.ts";
import { failureReason } from "./failure-reason.ts";
import { pictureStreams, type FfprobeJson } from "./probe-result.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

const execFileAsync = promisify(execFile);

export interface ProbeToolOptions {
  ffprobePath?: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * The raw facts about a file, before any judgement: what classifySource
 * turns into a verdict. Bad media never throws; only a missing ffprobe or
 * an abort does.
 */
export type ProbeOutcome =
  | { kind: "empty" }
  | { kind: "unreadable"; sizeBytes: number; stderr: string; startsLikeMp4: boolean }
  | { kind: "parsed"; sizeBytes: number; json: FfprobeJson; decodeError?: string };

interface ExecFailure {
  code?: number | string;
  stderr?: string;
}

// ISO BMFF files (MP4, MOV, M4A) open with an ftyp box: bytes 4..8 read "ftyp".
async function startsLikeMp4(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(8), 0, 8, 0);
    return bytesRead === 8 && buffer.subarray(4, 8).toString("latin1") === "ftyp";
  } finally {
    await file.close();
  }
}

function unavailable(program: string, error: unknown): FfmpegError {
  return new FfmpegError("ffmpeg_unavailable", { program, exitCode: null, reason: String((error as Error).message) }, { cause: error });
}

/**
 * Decodes the first frame of the picture stream. ffprobe reads headers
 * only; this catches a codec with no decoder in this build, or a stream
 * whose data is missing.
 */
async function decodeFirstFrame(path: string, streamIndex: number, options: ProbeToolOptions): Promise<string | undefined> {
  const program = options.ffmpegPath ?? "ffmpeg";
  try {
    await execFileAsync(program, ["-hide_banner", "-nostdin", "-v", "error", ...untrustedInputOptions(), "-i", path, "-map", `0:${streamIndex}`, "-frames:v", "1", "-f", "null", "-"], {
      signal: options.signal,
      maxBuffer: 1024 * 1024,
    });
    return undefined;
  } catch (error) {
    options.signal?.throwIfAborted();
    const failure = error as ExecFailure;
    if (typeof failure.code !== "number") throw unavailable(program, error);
    return failureReason((failure.stderr ?? "").split("\n")) ?? `exit ${failure.code}`;
  }
}

export async function probeFile(path: string, options: ProbeToolOptions = {}): Promise<ProbeOutcome> {
  const { size } = await stat(path);
  if (size === 0) return { kind: "empty" };
  const program = options.ffprobePath ?? "ffprobe";
  let json: FfprobeJson;
  try {
    const { stdout } = await execFileAsync(program, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", ...untrustedInputOptions(), path], {
      signal: options.signal,
      maxBuffer: 16 * 1024 * 1024,
    });
    json = JSON.parse(stdout) as FfprobeJson;
  } catch (error) {
    options.signal?.throwIfAborted();
    const failure = error as ExecFailure;
    if (typeof failure.code !== "number") throw unavailable(program, error);
    return { kind: "unreadable", sizeBytes: size, stderr: failure.stderr ?? "", startsLikeMp4: await startsLikeMp4(path) };
  }
  const picture = pictureStreams(json)[0];
  if (!picture) return { kind: "parsed", sizeBytes: size, json };
  const decodeError = await decodeFirstFrame(path, picture.index, options);
  return decodeError === undefined ? { kind: "parsed", sizeBytes: size, json } : { kind: "parsed", sizeBytes: size, json, decodeError };
}
