import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { FfmpegError } from "./errors.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

const execFileAsync = promisify(execFile);

/** Where a stream's keyframes are, read from its packets (no decode). */
export interface KeyframeScan {
  /** The stream the packets are of. */
  streamIndex: number;
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
  /**
   * Per keyframe, the packets and bytes from it up to the next keyframe in
   * decode order: what a fragment cut at each keyframe holds. Empty when
   * the keyframes are not in presentation order in the file.
   */
  gops: { frames: number; bytes: number }[];
}

interface PacketJson {
  packets?: { stream_index?: number; pts_time?: string; flags?: string; size?: string }[];
  format?: { start_time?: string };
}

/** ffprobe's specifier of the first video stream that is not an attached picture (cover art): the one probeSource picks. */
export const FIRST_PICTURE_STREAM = "V:0";

/**
 * Lists the keyframes of one stream (an index, or a specifier such as
 * FIRST_PICTURE_STREAM) from ffprobe's packet list, on the clock ffmpeg
 * writes: the container's start_time subtracted.
 */
export async function scanKeyframes(path: string, stream: number | string, options: { ffprobePath?: string; signal?: AbortSignal } = {}): Promise<KeyframeScan> {
  const program = options.ffprobePath ?? "ffprobe";
  let json: PacketJson;
  try {
    const { stdout } = await execFileAsync(
      program,
      ["-v", "error", ...untrustedInputOptions(), "-select_streams", String(stream), "-show_entries", "packet=stream_index,pts_time,flags,size:format=start_time", "-of", "json", path],
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
  let gops: { frames: number; bytes: number }[] = [];
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
      gops.push({ frames: 0, bytes: 0 });
    } else if (currentKeyframe !== undefined && seconds < currentKeyframe) {
      closedGops = false;
    }
    const gop = gops.at(-1);
    if (gop) {
      gop.frames += 1;
      gop.bytes += Number(packet.size) || 0;
    }
  }
  const ordered = keyframes.every((k, i) => i === 0 || k > keyframes[i - 1]!);
  if (!ordered) {
    keyframes.sort((a, b) => a - b);
    gops = [];
  }
  const streamIndex = json.packets?.[0]?.stream_index ?? (typeof stream === "number" ? stream : -1);
  return { streamIndex, keyframes, lastFrameSeconds, closedGops, gops };
}
