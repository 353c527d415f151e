import { audioTreatments, type AudioTreatment } from "./audio-alone.ts";
import type { KeyframeScan } from "./keyframes.ts";
import type { ProbeResult } from "./probe-result.ts";

/** Whether a source plays in browsers as it is, so it can be published by a remux before any encode; `audio` has one entry per audio stream. */
export type PassthroughVerdict = { ok: true; audio: AudioTreatment[] } | { ok: false; why: string };

// What every browser's H.264 decoder (MSE) takes.
const PLAYABLE_PROFILES = new Set(["Constrained Baseline", "Baseline", "Main", "High"]);
const PLAYABLE_PIXEL_FORMATS = new Set(["yuv420p", "yuvj420p"]);
// Containers whose H.264 ffmpeg repackages into fMP4 with the timestamps intact.
const REMUXABLE_CONTAINERS = ["mov", "matroska"];
export const MAX_KEYFRAME_GAP_SECONDS = 10;
const MAX_LEVEL = 42;
const MAX_SHORT_SIDE = 1080;
const MAX_LONG_SIDE = 1920;
const MAX_FRAME_RATE = 60;
// 16 Mbit/s at 1080p, scaled by area: above it a viewer's first minutes would stall on an ordinary link.
const MAX_BITS_PER_PIXEL_SECOND = 16_000_000 / (1920 * 1080);
const MIN_BITRATE_CAP = 2_000_000;

/**
 * Judges a probed source against what a browser plays without help:
 * H.264 8-bit 4:2:0 in a common profile, up to 1080p in either orientation
 * and 60 fps, square pixels, no rotation to apply, progressive, closed GOPs
 * with keyframes at most 10 s apart, a bitrate a viewer can stream.
 */
export function assessPassthrough(probe: ProbeResult, scan: KeyframeScan): PassthroughVerdict {
  const v = probe.video;
  const no = (why: string): PassthroughVerdict => ({ ok: false, why });
  if (v.codec !== "h264") return no(`video codec ${v.codec}`);
  if (!PLAYABLE_PIXEL_FORMATS.has(v.pixFmt ?? "")) return no(`pixel format ${v.pixFmt ?? "unknown"}`);
  if (!PLAYABLE_PROFILES.has(v.profile ?? "")) return no(`H.264 profile ${v.profile ?? "unknown"}`);
  if (v.level !== undefined && v.level > MAX_LEVEL) return no(`H.264 level ${v.level / 10}`);
  if (!REMUXABLE_CONTAINERS.some((name) => probe.container.split(",").includes(name))) return no(`container ${probe.container}`);
  if (v.interlaced) return no("interlaced");
  if (v.rotation !== 0) return no(`rotated ${v.rotation}°`);
  if (v.displayWidth !== v.width || v.displayHeight !== v.height) return no("non-square pixels");
  if (Math.min(v.width, v.height) > MAX_SHORT_SIDE || Math.max(v.width, v.height) > MAX_LONG_SIDE) return no(`${v.width}x${v.height} is above 1080p`);
  if (v.frameRate === undefined || v.frameRate > MAX_FRAME_RATE) return no(`frame rate ${v.frameRate ?? "unknown"}`);
  const cap = Math.max(MIN_BITRATE_CAP, MAX_BITS_PER_PIXEL_SECOND * v.width * v.height);
  const bitrate = v.bitRate ?? (probe.durationSeconds > 0 ? (probe.sizeBytes * 8) / probe.durationSeconds : undefined);
  if (bitrate === undefined || bitrate > cap) return no(`bitrate ${bitrate === undefined ? "unknown" : `${Math.round(bitrate / 1000)} kbit/s`}`);
  if (!scan.closedGops) return no("open GOPs");
  const [first, ...rest] = scan.keyframes;
  // The picture must open on a keyframe: its first frame is where the first segment starts.
  if (first === undefined || first > v.offsetSeconds + 0.001) return no("does not start with a keyframe");
  let previous = first;
  for (const keyframe of [...rest, scan.lastFrameSeconds]) {
    if (keyframe - previous > MAX_KEYFRAME_GAP_SECONDS) return no(`keyframes ${(keyframe - previous).toFixed(1)} s apart`);
    previous = keyframe;
  }
  return { ok: true, audio: audioTreatments(probe) };
}
