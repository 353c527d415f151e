import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseMediaPlaylist } from "./media-playlist.ts";
import { INIT_SEGMENT_NAME } from "./read-back-track.ts";
import { decryptSegment, segmentIvs } from "./segment-encryption.ts";

/**
 * How much of a video the quality report compares. Every window starts at a
 * segment start (a keyframe of every rung, and of a passthrough source), so
 * no frame is decoded that is not compared; the windows are spread evenly
 * over the video. The cost is bounded twice: about this share of the
 * frames (never fewer than QUALITY_MIN_FRAMES), and at most
 * MAX_QUALITY_WINDOWS × QUALITY_WINDOW_FRAMES however long the video
 * (bench/quality-report-cost.ts holds the CPU to ≤ 10% of the ladder's
 * encode).
 */
export const QUALITY_SAMPLE_SHARE = 0.03;
export const QUALITY_MIN_FRAMES = 4;
export const QUALITY_WINDOW_FRAMES = 12;
export const MAX_QUALITY_WINDOWS = 16;

/** `frames` frames from the start of segment `segment`, which starts `startSeconds` into the rung. */
export interface QualityWindow {
  segment: number;
  startSeconds: number;
  frames: number;
}

/**
 * The windows compared, from a rung's segment durations (every rung shares
 * them): evenly spaced segments, as few windows of up to
 * QUALITY_WINDOW_FRAMES as hold the frames wanted, the frames shared evenly
 * between them. A window never runs past its segment: a frame short of it,
 * so rounding in EXTINF durations cannot ask for a frame the segment lacks.
 */
export function pickQualityWindows(segmentDurations: readonly number[], frameRate: number): QualityWindow[] {
  const starts: number[] = [];
  segmentDurations.reduce((start, d) => (starts.push(start), start + d), 0);
  const totalFrames = segmentDurations.reduce((sum, d) => sum + d, 0) * frameRate;
  const wanted = Math.max(QUALITY_MIN_FRAMES, Math.ceil(totalFrames * QUALITY_SAMPLE_SHARE));
  const count = Math.min(Math.ceil(wanted / QUALITY_WINDOW_FRAMES), MAX_QUALITY_WINDOWS, segmentDurations.length);
  const perWindow = Math.min(QUALITY_WINDOW_FRAMES, Math.ceil(wanted / Math.max(1, count)));
  const windows: QualityWindow[] = [];
  for (let i = 0; i < count; i++) {
    const segment = Math.floor(((i + 0.5) * segmentDurations.length) / count);
    const inSegment = Math.floor(segmentDurations[segment]! * frameRate) - 1;
    windows.push({ segment, startSeconds: starts[segment]!, frames: Math.max(1, Math.min(perWindow, inSegment)) });
  }
  return windows;
}

/**
 * Writes each window's segment, behind the rung's init segment, as one
 * standalone fragmented MP4 `<workDir>/<prefix>-<i>.mp4`, so ffmpeg opens
 * it as a plain file (no HLS demuxer, no list of every segment). A segment
 * sealed by encryptTrack is decrypted with the content key on the way.
 */
export async function writeQualitySamples(options: {
  outDir: string;
  /** `720p/index.m3u8`, relative to outDir. */
  playlist: string;
  windows: readonly QualityWindow[];
  workDir: string;
  prefix: string;
  contentKey?: Uint8Array;
}): Promise<string[]> {
  const trackDir = join(options.outDir, options.playlist.slice(0, options.playlist.lastIndexOf("/")));
  const text = await readFile(join(options.outDir, options.playlist), "utf8");
  const { segments } = parseMediaPlaylist(text);
  const ivs = segmentIvs(text);
  const init = await readFile(join(trackDir, INIT_SEGMENT_NAME));
  return Promise.all(
    options.windows.map(async (window, i) => {
      const uri = segments[window.segment]?.uri;
      if (uri === undefined || !/^[A-Za-z0-9._-]+$/.test(uri)) throw new Error(`${options.playlist} has no segment ${window.segment} to sample`);
      let media: Buffer = await readFile(join(trackDir, uri));
      const iv = ivs.get(uri);
      if (iv) {
        if (!options.contentKey) throw new Error(`${options.playlist} is encrypted and no content key was given`);
        media = decryptSegment(options.contentKey, iv, media);
      }
      const path = join(options.workDir, `${options.prefix}-${i}.mp4`);
      await writeFile(path, Buffer.concat([init, media]));
      return path;
    }),
  );
}
