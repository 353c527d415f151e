import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { FfmpegError } from "./errors.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

const execFileAsync = promisify(execFile);

/** Where a stream's keyframes are, read from its packets (no decode). */
export interface KeyframeScan {
  /** Presentation times of keyframes, seconds from the file's first timestamp (what ffmpeg's -ss and -force_key_frames count), ascending. */
  keyframes: number[];
  /** Presentation time of the stream's last frame, on the same clock. */
  lastFrameSeconds: number;
  /**
   * False when a frame after a keyframe in decode order is shown before it:
   * an open GOP, whose leading frames reference the previous GOP, so a
   * segment starting there does not decode on its own.
   */
  closedGops: boolean;
}

interface PacketJson {
  packets?: { pts_time?: string; flags?: string }[];
  format?: { start_time?: string };
}

/**
 * Lists the keyframes of stream `streamIndex` from ffprobe's packet list,
 * on the clock ffmpeg writes: the container's start_time subtracted.
 */
export async function scanKeyframes(path: string, streamIndex: number, options: { ffprobePath?: string; signal?: AbortSignal } = {}): Promise<KeyframeScan> {
  const program = options.ffprobePath ?? "ffprobe";
  let json: PacketJson;
  try {
    const { stdout } = await execFileAsync(
      program,
      ["-v", "error", ...untrustedInputOptions(), "-select_streams", String(streamIndex), "-show_entries", "packet=pts_time,flags:format=start_time", "-of", "json", path],
      { signal: options.signal, maxBuffer: 512 * 1024 * 1024 },
    );
    json = JSON.parse(stdout) as PacketJson;
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new FfmpegError("ffmpeg_failed", { program, exitCode: null, reason: `cannot list the packets: ${(error as Error).message}` }, { cause: error });
  }
  const fileStart = Number(json.format?.start_time);
  const offset = Number.isFinite(fileStart) ? fileStart : 0;
  const keyframes: number[] = [];
  let closedGops = true;
  let lastFrameSeconds = 0;
  let currentKeyframe: number | undefined;
  for (const packet of json.packets ?? []) {
    const pts = Number(packet.pts_time);
    // A stream without timestamps (raw H.264) lists none: it has no keyframe times to keep.
    if (packet.pts_time === undefined || !Number.isFinite(pts)) continue;
    const seconds = pts - offset;
    lastFrameSeconds = Math.max(lastFrameSeconds, seconds);
    if (packet.flags?.includes("K")) {
      currentKeyframe = seconds;
      keyframes.push(seconds);
    } else if (currentKeyframe !== undefined && seconds < currentKeyframe) {
      closedGops = false;
    }
  }
  keyframes.sort((a, b) => a - b);
  return { keyframes, lastFrameSeconds, closedGops };
}
