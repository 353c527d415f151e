import type { AuxiliaryOutput } from "./auxiliary-output.ts";
import type { LadderPlan } from "./ladder.ts";
import { posterTimeSeconds } from "./poster.ts";
import type { VideoStreamInfo } from "./probe-result.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

export const PREVIEW_NAME = "preview.webp";
/** Seconds of picture in the preview (less for a shorter video). */
export const PREVIEW_SECONDS = 3;
/** Its width at most, in pixels; never wider than the top rung. */
export const PREVIEW_WIDTH = 320;
export const PREVIEW_FPS = 10;

/** Where the preview starts, in seconds of picture: where the poster is, unless that leaves less than PREVIEW_SECONDS. */
export function previewStartSeconds(durationSeconds: number): number {
  if (!(durationSeconds > PREVIEW_SECONDS)) return 0;
  return Math.min(posterTimeSeconds(durationSeconds), durationSeconds - PREVIEW_SECONDS);
}

export interface PreviewOptions {
  input: string;
  video: Pick<VideoStreamInfo, "offsetSeconds" | "durationSeconds">;
  plan: LadderPlan;
  ffmpegPath?: string;
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

/**
 * The animated preview as an auxiliary output: a few seconds of picture,
 * small and silent, as a looping animated WebP (ffmpeg's libwebp_anim);
 * from the poster's time, else from the start (a seek into an unindexed
 * file can land where nothing decodes).
 */
export function previewOutput(options: PreviewOptions): AuxiliaryOutput {
  const top = options.plan.rungs[0];
  if (!top) throw new RangeError("a preview needs a ladder with at least one rung");
  const width = Math.min(PREVIEW_WIDTH, even(top.width));
  const height = even((top.height * width) / top.width);
  const filters = [...(options.plan.deinterlace ? ["yadif=deint=interlaced"] : []), `fps=${PREVIEW_FPS}`, `scale=${width}:${height}`, "setsar=1"];
  const start = previewStartSeconds(options.video.durationSeconds);
  const grab = (seekSeconds: number) => (path: string, signal?: AbortSignal) =>
    runFfmpeg({
      args: [
        "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        // Even "-ss 0" makes ffmpeg drop frames without timestamps (raw H.264): no seek means no option.
        ...(seekSeconds > 0 ? ["-ss", String(seekSeconds)] : []),
        ...untrustedInputOptions(),
        "-i", options.input,
        "-map", `0:${options.plan.videoStreamIndex}`, "-an", "-sn", "-t", String(PREVIEW_SECONDS), "-vf", filters.join(","),
        "-c:v", "libwebp_anim", "-quality", "60", "-compression_level", "4", "-loop", "0", "-map_metadata", "-1",
        "-f", "webp", path,
      ],
      ffmpegPath: options.ffmpegPath,
      signal,
    });
  const seek = options.video.offsetSeconds + start;
  return {
    name: "preview",
    file: PREVIEW_NAME,
    attempts: [...(seek > 0 ? [{ name: `${PREVIEW_SECONDS}s from ${seek.toFixed(3)}s`, make: grab(seek) }] : []), { name: "from the start", make: grab(0) }],
  };
}
