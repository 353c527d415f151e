import { stat } from "node:fs/promises";
import type { LadderPlan } from "./ladder.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

export const POSTER_NAME = "poster.jpg";

/**
 * When to grab the poster: 10% in skips black openings and titles; short
 * clips use 1 s, and never later than half their length.
 */
export function posterTimeSeconds(durationSeconds: number): number {
  if (!(durationSeconds > 0)) return 0;
  return Math.min(Math.max(durationSeconds * 0.1, 1), durationSeconds / 2);
}

export interface PosterOptions {
  input: string;
  output: string;
  durationSeconds: number;
  plan: LadderPlan;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/** A JPEG of one frame at the top rung's size, deinterlaced and upright like the video. */
export async function renderPoster(options: PosterOptions): Promise<void> {
  const top = options.plan.rungs[0];
  if (!top) throw new RangeError("a poster needs a ladder with at least one rung");
  const filters = [...(options.plan.deinterlace ? ["yadif=deint=interlaced"] : []), `scale=${top.width}:${top.height}`, "setsar=1"];
  const args = [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
    "-ss", String(posterTimeSeconds(options.durationSeconds)),
    ...untrustedInputOptions(),
    "-i", options.input,
    "-map", `0:${options.plan.videoStreamIndex}`, "-vf", filters.join(","), "-frames:v", "1", "-q:v", "3", "-map_metadata", "-1",
    options.output,
  ];
  await runFfmpeg({ args, ffmpegPath: options.ffmpegPath, signal: options.signal });
  // ffmpeg exits 0 without writing when the seek lands past the last frame.
  const written = await stat(options.output).catch(() => undefined);
  if (!written || written.size === 0) throw new Error(`ffmpeg wrote no poster frame at ${posterTimeSeconds(options.durationSeconds)}s of ${options.input}`);
}
