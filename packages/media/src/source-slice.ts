import { MAX_KEYFRAME_GAP_SECONDS } from "./passthrough.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

export interface SourceSliceOptions {
  input: string;
  /** The picture stream to copy. */
  streamIndex: number;
  /** Seconds from the input's first timestamp (ffmpeg's input -ss), where the range to encode starts and ends. */
  start: number;
  end: number;
  /** A Matroska file: it takes any codec ffmpeg decodes, with the input's own timestamps. */
  outFile: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * Copies the packets a range of the picture needs into a file of its own
 * (no decode, no re-encode), so a host encoding that range fetches only
 * them: from the keyframe at or before `start` (ffmpeg's input seek with
 * stream copy starts there) to a keyframe gap past `end`, enough for the
 * frames an open GOP shows before its keyframe. Timestamps stay the input's
 * (-copyts), so the range encode trims exactly by them.
 */
export async function cutSourceSlice(options: SourceSliceOptions): Promise<void> {
  if (!(options.end > options.start && options.start >= 0)) throw new RangeError(`invalid slice ${options.start}..${options.end}`);
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", ...untrustedInputOptions()];
  // Even "-ss 0" makes ffmpeg drop frames without timestamps (raw H.264), so the first slice does not seek.
  if (options.start > 0) args.push("-ss", options.start.toFixed(6));
  args.push("-to", (options.end + MAX_KEYFRAME_GAP_SECONDS + 1).toFixed(6), "-i", options.input);
  args.push("-map", `0:${options.streamIndex}`, "-c", "copy", "-copyts", "-map_metadata", "-1", "-map_chapters", "-1", "-f", "matroska", options.outFile);
  await runFfmpeg({ args, ffmpegPath: options.ffmpegPath, signal: options.signal });
}
