import type { AuxiliaryOutput } from "./auxiliary-output.ts";
import type { LadderPlan } from "./ladder.ts";
import type { VideoStreamInfo } from "./probe-result.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

export const POSTER_NAME = "poster.jpg";

// Of a picture whose length nobody states; a shorter one is caught by the fallback to its first frame.
const UNKNOWN_LENGTH_POSTER_SECONDS = 1;

/**
 * When to grab the poster, in seconds of picture: 10% in skips black
 * openings and titles; short clips use 1 s, and never later than half
 * their length.
 */
export function posterTimeSeconds(durationSeconds: number): number {
  if (!(durationSeconds > 0)) return UNKNOWN_LENGTH_POSTER_SECONDS;
  return Math.min(Math.max(durationSeconds * 0.1, 1), durationSeconds / 2);
}

/**
 * The poster time as ffmpeg's input `-ss` counts: from the file's first
 * timestamp, so a picture that starts after the audio is seeked into, and a
 * picture shorter than the file is not seeked past.
 */
export function posterSeekSeconds(video: Pick<VideoStreamInfo, "offsetSeconds" | "durationSeconds">): number {
  return video.offsetSeconds + posterTimeSeconds(video.durationSeconds);
}

export interface PosterOptions {
  input: string;
  video: Pick<VideoStreamInfo, "offsetSeconds" | "durationSeconds">;
  plan: LadderPlan;
  ffmpegPath?: string;
}

/** argv for one JPEG frame at the top rung's size, deinterlaced and upright like the video. */
function posterArgs(options: PosterOptions, output: string, seekSeconds: number): string[] {
  const top = options.plan.rungs[0];
  if (!top) throw new RangeError("a poster needs a ladder with at least one rung");
  const filters = [...(options.plan.deinterlace ? ["yadif=deint=interlaced"] : []), `scale=${top.width}:${top.height}`, "setsar=1"];
  return [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
    // Even "-ss 0" makes ffmpeg drop frames without timestamps (raw H.264): no seek means no option.
    ...(seekSeconds > 0 ? ["-ss", String(seekSeconds)] : []),
    ...untrustedInputOptions(),
    "-i", options.input,
    "-map", `0:${options.plan.videoStreamIndex}`, "-vf", filters.join(","), "-frames:v", "1", "-q:v", "3", "-map_metadata", "-1",
    output,
  ];
}

/**
 * The poster as an auxiliary output: a frame 10% in, found by seeking; else
 * the first frame, decoded from the start. Seeking can miss: an MPEG-TS has
 * no index, and a seek into one with a long GOP lands after its last
 * keyframe, where nothing decodes.
 */
export function posterOutput(options: PosterOptions): AuxiliaryOutput {
  const seekSeconds = posterSeekSeconds(options.video);
  const grab = (seconds: number) => (path: string, signal?: AbortSignal) => runFfmpeg({ args: posterArgs(options, path, seconds), ffmpegPath: options.ffmpegPath, signal });
  return {
    name: "poster",
    file: POSTER_NAME,
    attempts: [
      ...(seekSeconds > 0 ? [{ name: `frame at ${seekSeconds.toFixed(3)}s`, make: grab(seekSeconds) }] : []),
      { name: "first frame", make: grab(0) },
    ],
  };
}
