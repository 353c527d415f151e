import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { LadderPlan } from "./ladder.ts";
import { pickQualityWindows, writeQualitySamples, type QualityWindow } from "./quality-samples.ts";
import type { FinishedRendition } from "./rendition.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { sameBoundaries } from "./staged-ladder.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/** How close one encoded rung is to the source, on the frames sampled (see kino.catalog.v1.RenditionQuality). */
export interface RenditionQuality {
  /** ffmpeg's `ssim` "All": the mean over frames of the Y, U and V SSIM weighted by plane size, 0..1. */
  ssim: number;
  /** ffmpeg's `psnr` "average": from the mean squared error over all planes and frames, in dB, at most MAX_PSNR_DB. */
  psnrDb: number;
  framesCompared: number;
}

/** Identical pictures have an infinite PSNR; libvmaf caps 8-bit PSNR at 60 dB, and so does this. */
export const MAX_PSNR_DB = 60;

export interface MeasureQualityOptions {
  /** The source the ladder was encoded from. */
  input: string;
  plan: LadderPlan;
  /** The package directory the rungs were written into. */
  outDir: string;
  /** The encoded rungs to measure (not a passthrough: it is the source). */
  rungs: readonly Pick<FinishedRendition, "rendition" | "playlist" | "segmentDurations">[];
  /** A scratch directory of its own (made if missing) for the samples and ffmpeg's per-frame statistics. */
  workDir: string;
  /** Decrypts segments encryptTrack has sealed. */
  contentKey?: Uint8Array;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * Enough of a rung's sample for a window's frames, with a margin of a few
 * frames so that it always reaches the count trim keeps: short by a frame,
 * it would shift every later pair.
 */
function readSeconds(window: QualityWindow, frameRate: number): string {
  return ((window.frames + 3) / frameRate).toFixed(6);
}

/**
 * The filtergraph: the source's windows joined and scaled to the top rung's
 * size, split to every rung; each rung's windows joined and scaled up to
 * that size with bicubic (as Netflix does for VMAF: the distorted picture
 * is judged as a player would show it full size); every frame renumbered
 * so the pairs line up; ssim then psnr on the pairs.
 */
function filterGraph(options: MeasureQualityOptions, windows: readonly QualityWindow[]): string {
  const { plan } = options;
  const top = plan.rungs[0]!;
  const n = windows.length;
  const rungCount = options.rungs.length;
  // Frame n at n / rate, in one time base on both sides: ssim and psnr pair frames by timestamp.
  const common = `concat=n=${n}:v=1:a=0,scale=${top.width}:${top.height}:flags=bicubic,setsar=1,format=yuv420p,settb=AVTB,setpts=N/(${plan.frameRate})/TB`;
  // The rungs are constant frame rate from the file's first timestamp: ffmpeg's encoder repeats and drops source frames
  // to keep that grid (a late picture starts with copies of its first frame). fps does the same to the source from
  // the window's start, after yadif as in the ladder, so each source frame meets the rung frame made from it. The
  // grid is the ladder's fps where it resamples, else the rate ffmpeg guesses for the stream (source_fps), which the
  // encoder keeps: for a variable rate that is not the average the plan states.
  const rate = plan.forceFrameRate ? String(plan.frameRate) : "source_fps";
  const sourcePrep = [...(plan.deinterlace ? ["yadif=deint=interlaced"] : []), `fps=fps=${rate}:start_time=0`];
  const parts: string[] = [];
  windows.forEach((w, i) => parts.push(`[${i}:${plan.videoStreamIndex}]${[...sourcePrep, `trim=end_frame=${w.frames}`].join(",")}[s${i}]`));
  parts.push(`${windows.map((_, i) => `[s${i}]`).join("")}${common},split=${rungCount}${options.rungs.map((_, r) => `[ref${r}]`).join("")}`);
  options.rungs.forEach((_, r) => {
    windows.forEach((w, i) => parts.push(`[${n + r * n + i}:v:0]setpts=PTS-STARTPTS,trim=end_frame=${w.frames}[d${r}w${i}]`));
    parts.push(`${windows.map((_, i) => `[d${r}w${i}]`).join("")}${common},split[da${r}][db${r}]`);
    // ssim passes its first input (the reference) through, which psnr then compares again.
    parts.push(`[ref${r}][da${r}]ssim=stats_file=ssim-${r}.log:shortest=1[x${r}]`, `[x${r}][db${r}]psnr=stats_file=psnr-${r}.log:shortest=1[o${r}]`);
  });
  return parts.join(";");
}

function buildArgs(options: MeasureQualityOptions, windows: readonly QualityWindow[], samples: readonly string[][]): string[] {
  const rate = options.plan.frameRate;
  // One thread everywhere: the report costs as little CPU as it can, and the host's slots stay the encoders'.
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-filter_complex_threads", "1"];
  for (const w of windows) {
    // A rung's time is the source file's (both from its first timestamp, which -ss counts from). Not an accurate
    // seek: the frames decoded from the keyframe before the window reach fps, which keeps the one shown at its start.
    // No -t either, as it would count from that keyframe: trim ends the window, and ffmpeg reads on from the next.
    // Even "-ss 0" makes ffmpeg drop frames without timestamps (raw H.264): no seek means no option.
    const seek = w.startSeconds > 0 ? ["-noaccurate_seek", "-ss", w.startSeconds.toFixed(6)] : [];
    args.push("-threads", "1", ...seek, ...untrustedInputOptions(), "-i", options.input);
  }
  for (const rungSamples of samples) {
    rungSamples.forEach((sample, i) => args.push("-threads", "1", "-t", readSeconds(windows[i]!, rate), "-protocol_whitelist", "file", "-f", "mov", "-i", sample));
  }
  args.push("-filter_complex", filterGraph(options, windows));
  options.rungs.forEach((_, r) => args.push("-map", `[o${r}]`, "-f", "null", "-"));
  return args;
}

/** `n:1 Y:0.99 U:0.99 V:0.99 All:0.991 (20.5)` → 0.991 */
function ssimOf(line: string): number | undefined {
  const match = /\bAll:([0-9.]+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}

/** `n:1 mse_avg:1.23 mse_y:…` → 1.23 */
function mseOf(line: string): number | undefined {
  const match = /\bmse_avg:([0-9.]+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}

async function statLines(path: string): Promise<string[]> {
  return (await readFile(path, "utf8")).split("\n").filter((l) => l.startsWith("n:"));
}

/** One rung's report from ffmpeg's per-frame statistics; undefined when they do not add up. */
async function readReport(workDir: string, r: number): Promise<RenditionQuality | undefined> {
  const ssims = (await statLines(join(workDir, `ssim-${r}.log`))).map(ssimOf);
  const mses = (await statLines(join(workDir, `psnr-${r}.log`))).map(mseOf);
  if (ssims.length === 0 || ssims.length !== mses.length) return undefined;
  if (!ssims.every((v): v is number => v !== undefined && Number.isFinite(v)) || !mses.every((v): v is number => v !== undefined && Number.isFinite(v))) return undefined;
  const ssim = ssims.reduce((sum, v) => sum + v, 0) / ssims.length;
  const mse = mses.reduce((sum, v) => sum + v, 0) / mses.length;
  // 8-bit samples (format=yuv420p): the peak is 255. ffmpeg's summary "average" is this same formula.
  const psnrDb = mse > 0 ? Math.min(MAX_PSNR_DB, 10 * Math.log10((255 * 255) / mse)) : MAX_PSNR_DB;
  return { ssim, psnrDb, framesCompared: ssims.length };
}

/**
 * SSIM and PSNR of every rung against the source, on sampled frames (see
 * pickQualityWindows), in one single-threaded ffmpeg that decodes each
 * sampled stretch of the source once for all rungs. Resolves with a report
 * per rung it could measure, by rung name; a rung cut at other boundaries
 * than the first is left out (its windows would not be the same frames).
 * Rejects when ffmpeg fails: the caller publishes without a report, as with
 * any auxiliary output.
 */
export async function measureQuality(given: MeasureQualityOptions): Promise<Map<string, RenditionQuality>> {
  // ffmpeg runs in workDir (its statistics files are named relative to it), so every path it is given is absolute.
  const options = { ...given, input: resolve(given.input), outDir: resolve(given.outDir), workDir: resolve(given.workDir) };
  const reports = new Map<string, RenditionQuality>();
  const first = options.rungs[0];
  if (!first || options.plan.rungs.length === 0) return reports;
  const rungs = options.rungs.filter((r) => sameBoundaries(r.segmentDurations, first.segmentDurations));
  const windows = pickQualityWindows(first.segmentDurations, options.plan.frameRate);
  if (windows.length === 0) return reports;
  await mkdir(options.workDir, { recursive: true });
  const samples = await Promise.all(
    rungs.map((r, i) => writeQualitySamples({ outDir: options.outDir, playlist: r.playlist, windows, workDir: options.workDir, prefix: `rung${i}`, contentKey: options.contentKey })),
  );
  const measured = { ...options, rungs };
  await runFfmpeg({ args: buildArgs(measured, windows, samples), ffmpegPath: options.ffmpegPath, signal: options.signal, cwd: options.workDir });
  for (const [r, rung] of rungs.entries()) {
    const report = await readReport(options.workDir, r);
    if (report) reports.set(rung.rendition.name, report);
  }
  return reports;
}
