import { planAudioTracks, type AudioPlan } from "./audio-group.ts";
import { pickH264Level, type H264Level, type H264Profile } from "./h264-level.ts";
import type { ProbeResult } from "./probe-result.ts";

/** One step of the standard ladder, named by its short side ("720p"). */
export interface RungSpec {
  shortSide: number;
  /** Target average video bitrate at up to 30 fps, bits per second. */
  videoBitrate: number;
}

export const DEFAULT_RUNGS: readonly RungSpec[] = [
  { shortSide: 1080, videoBitrate: 5_000_000 },
  { shortSide: 720, videoBitrate: 2_800_000 },
  { shortSide: 480, videoBitrate: 1_400_000 },
  { shortSide: 360, videoBitrate: 800_000 },
  { shortSide: 240, videoBitrate: 400_000 },
];

export interface LadderRung {
  name: string;
  width: number;
  height: number;
  videoBitrate: number;
  maxrate: number;
  bufsize: number;
  /** The most x264 may use; a fast preset can yield a lower one, so CODECS is read from the output. */
  profile: H264Profile;
  level: H264Level;
}

export interface LadderPlan {
  /** Source stream the picture comes from (`0:<index>`); cover art streams are skipped. */
  videoStreamIndex: number;
  /** Highest rung first. */
  rungs: LadderRung[];
  /** Frame rate every rung is encoded at. */
  frameRate: number;
  /** Set when frames must be resampled to `frameRate` (source too fast, or its rate unknown). */
  forceFrameRate: boolean;
  deinterlace: boolean;
  /** The audio group's tracks, one per source audio stream; empty for a silent source. */
  audio: AudioPlan[];
}

export interface LadderOptions {
  rungs?: readonly RungSpec[];
  /** Highest frame rate any rung gets; 60 by default. */
  maxFrameRate?: number;
}

// When a file states no rate, encode at a common one rather than guess per frame.
const FALLBACK_FRAME_RATE = 30;
// More frames need more bits for the same quality; 1.5x is the usual 60 fps uplift.
const HIGH_FRAME_RATE_FACTOR = 1.5;
// Capped VBR: short peaks up to 1.5x the average, smoothed over a 2 s buffer at the average rate.
const MAXRATE_FACTOR = 1.5;
const BUFSIZE_FACTOR = 2;
const MIN_TINY_BITRATE = 150_000;

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

function evenFloor(value: number): number {
  return Math.max(2, 2 * Math.floor(value / 2));
}

function rung(input: { shortSide: number; longSide: number; portrait: boolean; videoBitrate: number; frameRate: number }): LadderRung {
  const width = input.portrait ? input.shortSide : input.longSide;
  const height = input.portrait ? input.longSide : input.shortSide;
  const videoBitrate = Math.round(input.frameRate > 30 ? input.videoBitrate * HIGH_FRAME_RATE_FACTOR : input.videoBitrate);
  const maxrate = Math.round(videoBitrate * MAXRATE_FACTOR);
  // High profile's better compression only pays at HD sizes; Main keeps old phones playing the small rungs.
  const profile: H264Profile = input.shortSide >= 720 ? "high" : "main";
  return {
    name: `${input.shortSide}p`,
    width,
    height,
    videoBitrate,
    maxrate,
    bufsize: Math.round(videoBitrate * BUFSIZE_FACTOR),
    profile,
    level: pickH264Level({ width, height, frameRate: input.frameRate, maxrateBitsPerSecond: maxrate, profile }),
  };
}

/**
 * The renditions a source gets: never larger than the source (no upscaling),
 * aspect ratio kept in the orientation a player shows, every rung at one
 * frame rate so segments line up across rungs.
 */
export function planLadder(probe: ProbeResult, options: LadderOptions = {}): LadderPlan {
  const specs = [...(options.rungs ?? DEFAULT_RUNGS)].sort((a, b) => b.shortSide - a.shortSide);
  const maxFrameRate = options.maxFrameRate ?? 60;
  const { displayWidth, displayHeight } = probe.video;
  const portrait = displayHeight > displayWidth;
  const sourceShort = Math.min(displayWidth, displayHeight);
  const sourceLong = Math.max(displayWidth, displayHeight);
  const sourceRate = probe.video.frameRate;
  const frameRate = Math.min(sourceRate ?? FALLBACK_FRAME_RATE, maxFrameRate);

  const fitting = specs.filter((spec) => spec.shortSide <= sourceShort);
  const rungs = fitting.map((spec) =>
    rung({ shortSide: spec.shortSide, longSide: even((spec.shortSide * sourceLong) / sourceShort), portrait, videoBitrate: spec.videoBitrate, frameRate }),
  );
  if (rungs.length === 0) {
    // Smaller than the smallest rung: one rendition at the source's own size, bitrate scaled by area.
    const smallest = specs.at(-1) ?? { shortSide: 240, videoBitrate: 400_000 };
    const shortSide = evenFloor(sourceShort);
    const areaRatio = (shortSide / smallest.shortSide) ** 2;
    rungs.push(
      rung({ shortSide, longSide: evenFloor(sourceLong), portrait, videoBitrate: Math.max(MIN_TINY_BITRATE, Math.round(smallest.videoBitrate * areaRatio)), frameRate }),
    );
  }
  return {
    videoStreamIndex: probe.video.index,
    rungs,
    frameRate,
    forceFrameRate: sourceRate === undefined || sourceRate > maxFrameRate,
    deinterlace: probe.video.interlaced,
    audio: planAudioTracks(probe.audioTracks),
  };
}
