import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_SEGMENT_SECONDS } from "./ffmpeg-args.ts";
import { parseMediaPlaylist } from "./media-playlist.ts";
import type { PassthroughAudio } from "./passthrough.ts";
import type { ProbeResult } from "./probe-result.ts";
import type { FfmpegProgress } from "./progress.ts";
import { finishOutput, MEDIA_PLAYLIST_NAME, type FinishedRendition } from "./rendition.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { STANDARD_AUDIO } from "./ladder.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/** The passthrough rung's directory and rendition name. */
export const PASSTHROUGH_RUNG_NAME = "source";

export interface PassthroughOptions {
  input: string;
  probe: ProbeResult;
  audio: PassthroughAudio;
  /** The rung lands in `<outDir>/source/`. */
  outDir: string;
  /** Target segment length; segments are cut at the first source keyframe past each multiple. */
  segmentSeconds?: number;
  /** The source's keyframes (KeyframeScan.keyframes), to read exact segment start times from. */
  keyframes: readonly number[];
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (event: FfmpegProgress) => void;
}

export interface PassthroughRendition extends FinishedRendition {
  /**
   * Start time of every segment but the first, seconds on the clock of
   * -force_key_frames: the keyframes every encoded rung must have so that
   * it cuts its segments exactly there too.
   */
  boundaries: number[];
}

/** argv of the remux: the source's H.264 copied into CMAF segments, its audio copied or encoded to AAC alone. */
export function buildPassthroughCommand(options: Pick<PassthroughOptions, "input" | "probe" | "audio" | "outDir" | "segmentSeconds">): string[] {
  if (options.outDir.includes("%")) throw new RangeError(`output directory must not contain "%": ${options.outDir}`);
  const rungDir = join(options.outDir, PASSTHROUGH_RUNG_NAME);
  const { audio } = options;
  const audioArgs =
    audio.mode === "none"
      ? []
      : audio.mode === "copy"
        ? ["-map", `0:${audio.streamIndex}`, "-c:a", "copy"]
        : ["-map", `0:${audio.streamIndex}`, "-c:a", "aac", "-b:a", String(STANDARD_AUDIO.bitrate), "-ac", String(STANDARD_AUDIO.channels), "-ar", String(STANDARD_AUDIO.sampleRate)];
  return [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
    ...untrustedInputOptions(), "-i", options.input,
    "-map", `0:${options.probe.video.index}`, "-c:v", "copy",
    ...audioArgs,
    // Source tags (camera GPS, device names) must not leak into published media.
    "-map_metadata", "-1", "-map_chapters", "-1",
    "-f", "hls",
    "-hls_time", String(options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS),
    "-hls_playlist_type", "vod",
    "-hls_segment_type", "fmp4",
    "-hls_flags", "independent_segments",
    "-hls_fmp4_init_filename", "init.mp4",
    "-hls_segment_filename", join(rungDir, "seg_%05d.m4s"),
    join(rungDir, MEDIA_PLAYLIST_NAME),
  ];
}

/** The keyframe nearest `seconds`: EXTINF durations are rounded, the keyframe times are exact. */
function nearest(keyframes: readonly number[], seconds: number): number {
  let best = keyframes[0] ?? seconds;
  for (const k of keyframes) if (Math.abs(k - seconds) < Math.abs(best - seconds)) best = k;
  return best;
}

/**
 * Remuxes a standard source (see assessPassthrough) into the passthrough
 * rung, with no re-encode: seconds of work for minutes of video. Returns
 * its rendition and where its segments start.
 */
export async function remuxPassthrough(options: PassthroughOptions): Promise<PassthroughRendition> {
  const { probe } = options;
  await mkdir(join(options.outDir, PASSTHROUGH_RUNG_NAME), { recursive: true });
  await runFfmpeg({
    args: buildPassthroughCommand(options),
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    durationSeconds: probe.durationSeconds,
    onProgress: options.onProgress,
  });
  const audioCodecs = options.audio.mode === "none" ? undefined : options.audio.mode === "copy" ? options.audio.codecs : "mp4a.40.2";
  const finished = await finishOutput(
    options.outDir,
    { name: PASSTHROUGH_RUNG_NAME, width: probe.video.width, height: probe.video.height, frameRate: probe.video.frameRate ?? 0 },
    audioCodecs,
  );
  const playlist = parseMediaPlaylist(await readFile(join(options.outDir, PASSTHROUGH_RUNG_NAME, MEDIA_PLAYLIST_NAME), "utf8"));
  const boundaries: number[] = [];
  let start = options.keyframes[0] ?? 0;
  for (const segment of playlist.segments.slice(0, -1)) {
    start = nearest(options.keyframes, start + segment.durationSeconds);
    boundaries.push(start);
  }
  return { ...finished, boundaries };
}
