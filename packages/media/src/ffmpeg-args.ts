import { join } from "node:path";
import { audioTrackDir } from "./audio-group.ts";
import type { LadderPlan } from "./ladder.ts";
import { MAX_KEYFRAME_GAP_SECONDS } from "./passthrough.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

export interface TimeRange {
  /**
   * The input's own timestamps, in seconds (ffmpeg reads it with -copyts):
   * frames shown from `start` up to, not including, `end` are encoded, and
   * the output's timestamps start at 0.
   */
  start: number;
  end: number;
}

export interface LadderCommandOptions {
  input: string;
  plan: LadderPlan;
  /** Each rung lands in `<outDir>/<rung name>/`. */
  outDir: string;
  /** Target HLS segment length; every segment but the last is exactly this long. */
  segmentSeconds?: number;
  /** Keyframe spacing; must divide segmentSeconds so segments cut on keyframes. */
  keyframeSeconds?: number;
  /** x264 preset. */
  preset?: string;
  /** Encode only this part of the input (one range of a video split across hosts); keyframeTimes then count from its start. */
  range?: TimeRange;
  /**
   * Force keyframes at exactly these times (seconds from the source's first
   * timestamp) and nowhere else, instead of every keyframeSeconds: the
   * passthrough rung's segment starts, so that the HLS muxer, cutting at the
   * first keyframe past each segmentSeconds, cuts every rung where the
   * passthrough was cut.
   */
  keyframeTimes?: readonly number[];
}

export const DEFAULT_SEGMENT_SECONDS = 4;
export const DEFAULT_KEYFRAME_SECONDS = 2;
export const DEFAULT_PRESET = "veryfast";

function checkOptions(options: LadderCommandOptions): { segmentSeconds: number; keyframeSeconds: number } {
  const segmentSeconds = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const keyframeSeconds = Math.min(options.keyframeSeconds ?? DEFAULT_KEYFRAME_SECONDS, segmentSeconds);
  if (!(segmentSeconds > 0) || !(keyframeSeconds > 0) || !Number.isInteger(segmentSeconds / keyframeSeconds)) {
    throw new RangeError(`keyframe interval ${keyframeSeconds}s must divide the segment length ${segmentSeconds}s`);
  }
  if (options.plan.rungs.length === 0) throw new RangeError("a ladder needs at least one rung");
  // ffmpeg's HLS muxer expands % sequences in output paths.
  if (options.outDir.includes("%")) throw new RangeError(`output directory must not contain "%": ${options.outDir}`);
  if (options.range && !(options.range.end > options.range.start && options.range.start >= 0)) {
    throw new RangeError(`invalid time range ${options.range.start}..${options.range.end}`);
  }
  // The audio group is made once for the whole source; a range's process encodes the picture only.
  if (options.range && options.plan.audio.length > 0) throw new RangeError("a range encodes the picture only: plan.audio must be empty");
  return { segmentSeconds, keyframeSeconds };
}

function longestGap(times: readonly number[]): number {
  return times.reduce((gap, t, i) => Math.max(gap, t - (i === 0 ? 0 : times[i - 1]!)), 0);
}

/**
 * ffmpeg rounds each time to the nearest tick of the encoder's time base
 * (one frame) and forces the first frame at or after it; a quarter frame
 * early keeps a time printed a microsecond late from landing a frame late,
 * without rounding to the frame before.
 */
function forcedTimes(times: readonly number[], frameRate: number): string {
  if (times.length === 0) return "0";
  return times.map((t) => Math.max(0, t - 0.25 / frameRate).toFixed(6)).join(",");
}

/** `[0:0]yadif,fps=30,split=2[s0][s1];[s0]scale=…[v0];…` */
function filterGraph(plan: LadderPlan, range: TimeRange | undefined): string {
  // Half a frame early: a frame stamped exactly at a range's edge (or a millisecond off, as Matroska rounds) falls on the right side.
  const halfFrame = 0.5 / plan.frameRate;
  const trim = range ? [`trim=start=${Math.max(0, range.start - halfFrame).toFixed(6)}:end=${(range.end - halfFrame).toFixed(6)}`, "setpts=PTS-STARTPTS"] : [];
  const common = [...trim, ...(plan.deinterlace ? ["yadif=deint=interlaced"] : []), ...(plan.forceFrameRate ? [`fps=${plan.frameRate}`] : [])];
  const n = plan.rungs.length;
  const splitOutputs = plan.rungs.map((_, i) => `[s${i}]`).join("");
  const head = `[0:${plan.videoStreamIndex}]${[...common, `split=${n}`].join(",")}${splitOutputs}`;
  // yuv420p: what every H.264 player decodes; 10-bit or 4:4:4 sources would otherwise yield High 10/4:4:4 streams.
  const rungs = plan.rungs.map((r, i) => `[s${i}]scale=${r.width}:${r.height},setsar=1,format=yuv420p[v${i}]`);
  return [head, ...rungs].join(";");
}

/**
 * One ffmpeg process for the whole ladder: the source is decoded once and
 * split to every rung; identical forced keyframes make segment boundaries
 * line up across rungs. Returns argv without the program name.
 */
export function buildLadderCommand(options: LadderCommandOptions): string[] {
  const { segmentSeconds, keyframeSeconds } = checkOptions(options);
  const { plan } = options;
  // With forced times, no keyframe of the encoder's own: one past a segment's target length would cut an extra segment.
  // The last segment runs from the last cut to the end, at most a target length plus the longest keyframe gap a source may have.
  const gopSeconds = options.keyframeTimes ? Math.max(longestGap(options.keyframeTimes), segmentSeconds + MAX_KEYFRAME_GAP_SECONDS) + 1 : keyframeSeconds;
  const gop = Math.max(1, Math.round(gopSeconds * plan.frameRate));
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1"];
  // The trim filter selects a range by the input's own timestamps, which -copyts keeps as they are.
  if (options.range) args.push("-copyts");
  args.push(...untrustedInputOptions(), "-i", options.input, "-filter_complex", filterGraph(plan, options.range));

  plan.rungs.forEach((r, i) => {
    args.push(
      "-map", `[v${i}]`,
      `-c:v:${i}`, "libx264",
      `-b:v:${i}`, String(r.videoBitrate),
      `-maxrate:v:${i}`, String(r.maxrate),
      `-bufsize:v:${i}`, String(r.bufsize),
      `-profile:v:${i}`, r.profile,
      `-level:v:${i}`, r.level.name,
    );
  });
  // Audio once: each track encoded a single time, as its own variant, shared by every video rung.
  plan.audio.forEach((a, i) => {
    args.push("-map", `0:${a.streamIndex}`, `-c:a:${i}`, "aac", `-b:a:${i}`, String(a.bitrate), `-ac:a:${i}`, String(a.channels), `-ar:a:${i}`, String(a.sampleRate));
  });
  args.push(
    "-preset", options.preset ?? DEFAULT_PRESET,
    "-force_key_frames", options.keyframeTimes ? forcedTimes(options.keyframeTimes, plan.frameRate) : `expr:gte(t,n_forced*${keyframeSeconds})`,
    "-sc_threshold", "0",
    "-g", String(gop),
    "-keyint_min", String(gop),
  );
  const streamMap = [...plan.rungs.map((r, i) => `v:${i},name:${r.name}`), ...plan.audio.map((a, i) => `a:${i},name:${audioTrackDir(a.name)}`)];
  args.push(...hlsOutputArgs(options.outDir, segmentSeconds, streamMap));
  return args;
}

/**
 * The HLS muxer writing one CMAF track per variant into `<outDir>/<variant
 * name>/`, metadata stripped. Variant names are Kino's own (rung names,
 * `audio/<track>`), never an uploader's text.
 */
export function hlsOutputArgs(outDir: string, segmentSeconds: number, streamMap: readonly string[]): string[] {
  return [
    // Source tags (camera GPS, device names) must not leak into published media.
    "-map_metadata", "-1", "-map_chapters", "-1",
    "-f", "hls",
    "-hls_time", String(segmentSeconds),
    "-hls_playlist_type", "vod",
    "-hls_segment_type", "fmp4",
    "-hls_flags", "independent_segments",
    "-hls_fmp4_init_filename", "init.mp4",
    "-hls_segment_filename", join(outDir, "%v", "seg_%05d.m4s"),
    "-var_stream_map", streamMap.join(" "),
    join(outDir, "%v", "index.m3u8"),
  ];
}

/**
 * The same encode as one process per rung, each decoding the source on its
 * own: the baseline the one-decode ladder is benchmarked against.
 */
export function buildPerRungCommands(options: LadderCommandOptions): string[][] {
  return options.plan.rungs.map((r) => buildLadderCommand({ ...options, plan: { ...options.plan, rungs: [r] } }));
}
