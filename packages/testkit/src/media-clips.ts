import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface ClipOptions {
  width?: number;
  height?: number;
  rate?: number;
  seconds?: number;
  audio?: boolean;
  /** Frames between keyframes; x264's default (250) leaves a short clip one keyframe, phones write one every second or two. */
  gop?: number;
}

/** A synthetic test clip (testsrc2 picture, sine tone) written by ffmpeg itself. */
export async function makeClip(path: string, options: ClipOptions = {}): Promise<string> {
  const { width = 320, height = 180, rate = 30, seconds = 3, audio = true, gop } = options;
  const inputs = ["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${rate}:duration=${seconds}`];
  if (audio) inputs.push("-f", "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${seconds}`);
  const codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", ...(gop ? ["-g", String(gop)] : []), ...(audio ? ["-c:a", "aac"] : [])];
  await execFileAsync("ffmpeg", ["-hide_banner", "-v", "error", "-y", ...inputs, ...codecs, path]);
  return path;
}

export async function ffmpeg(args: string[]): Promise<void> {
  await execFileAsync("ffmpeg", ["-hide_banner", "-v", "error", "-y", ...args]);
}

export async function ffprobeJson(path: string, extra: string[] = ["-show_streams"]): Promise<any> {
  const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-print_format", "json", ...extra, path]);
  return JSON.parse(stdout);
}

/**
 * A source shape real uploads have and testsrc2-in-MP4 lacks. `display` is
 * the picture a player must show (rotation applied); `seconds` how long the
 * video plays, which Kino must report even when the container does not say.
 */
export interface AwkwardSource {
  name: string;
  /** File name to write; its extension picks the container. */
  file: string;
  display: { width: number; height: number };
  seconds: number;
  make(path: string): Promise<string>;
}

const SIZE = "192x108";
const picture = (seconds: number, rate = 25, size = SIZE) => ["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
const x264 = ["-c:v", "libx264", "-preset", "ultrafast"];
// Interlaced coding, top field first: what broadcast capture delivers.
const interlaced = ["-flags", "+ildct+ilme", "-top", "1"];
// Timestamps of a capture joined mid-broadcast: the first packet is at 1.48 s, not 0.
const broadcastClock = ["-f", "mpegts", "-muxdelay", "0", "-muxpreload", "0", "-output_ts_offset", "1.48"];

function source(name: string, file: string, seconds: number, args: (path: string) => string[] | Promise<string[]>, display = { width: 192, height: 108 }): AwkwardSource {
  return {
    name,
    file,
    display,
    seconds,
    async make(path) {
      await ffmpeg(await args(path));
      return path;
    },
  };
}

export const AWKWARD_SOURCES: readonly AwkwardSource[] = [
  // x264's default GOP gives one keyframe: a seek into an index-less TS lands past it and decodes nothing.
  source("broadcast MPEG-TS, interlaced H.264, clock from 1.48 s", "broadcast-h264.ts", 2, (p) => [...picture(2), ...tone(2), ...x264, ...interlaced, "-x264-params", "tff=1", "-c:a", "mp2", ...broadcastClock, p]),
  source("broadcast MPEG-TS, interlaced MPEG-2, clock from 1.48 s", "broadcast-mpeg2.ts", 2, (p) => [...picture(2), ...tone(2), "-c:v", "mpeg2video", ...interlaced, "-c:a", "mp2", ...broadcastClock, p]),
  source("MOV with an edit list skipping into its first GOP", "edit-list.mov", 2, async (p) => {
    const whole = `${p}.whole.mp4`;
    await ffmpeg([...picture(2.5), ...tone(2.5), ...x264, "-g", "50", "-c:a", "aac", whole]);
    // A stream copy cut off a keyframe keeps the GOP and writes an edit list that hides its first 0.5 s.
    return ["-ss", "0.5", "-i", whole, "-c", "copy", p];
  }),
  source("variable frame rate (30 fps, then 10 fps)", "vfr.mp4", 2, (p) => [
    "-filter_complex", `testsrc2=size=${SIZE}:rate=30:duration=1[a];testsrc2=size=${SIZE}:rate=10:duration=1[b];[a][b]concat=n=2:v=1:a=0`,
    ...tone(2), "-fps_mode", "vfr", ...x264, "-c:a", "aac", p,
  ]),
  source("10-bit 4:2:0 (High 10)", "10bit.mp4", 2, (p) => [...picture(2), ...tone(2), ...x264, "-pix_fmt", "yuv420p10le", "-c:a", "aac", p]),
  source("4:2:2 (High 4:2:2)", "422.mp4", 2, (p) => [...picture(2), ...tone(2), ...x264, "-pix_fmt", "yuv422p", "-c:a", "aac", p]),
  // x264 refuses odd sizes in 4:2:0; MPEG-4 Part 2 (old cameras, screen grabs) stores them.
  source("odd size 321x241", "odd.mp4", 2, (p) => [...picture(2, 25, "320x240"), ...tone(2), "-vf", "scale=321:241", "-c:v", "mpeg4", "-c:a", "aac", p], { width: 320, height: 240 }),
  source("phone video rotated 270°", "rotated.mp4", 2, async (p) => {
    const upright = `${p}.upright.mp4`;
    await ffmpeg([...picture(2), ...tone(2), ...x264, "-c:a", "aac", upright]);
    // Only a stream copy keeps the rotate tag in ffmpeg 5.1.
    return ["-i", upright, "-c", "copy", "-metadata:s:v:0", "rotate=270", p];
  }, { width: 108, height: 192 }),
  source("audio starting 0.7 s after the picture", "late-audio.mp4", 2, (p) => [...picture(2), "-itsoffset", "0.7", ...tone(1.3), ...x264, "-c:a", "aac", p]),
  // Passthrough keeps the gap; the default would fill it with copies of the first frame.
  source("picture starting 0.8 s after the audio", "late-picture.mp4", 2.8, (p) => ["-itsoffset", "0.8", ...picture(2), ...tone(2.8), "-fps_mode", "passthrough", ...x264, "-c:a", "aac", p]),
  // The container runs 3 s: a poster time from its duration lands after the last frame.
  source("picture of 1 s in 3 s of audio", "short-picture.mp4", 3, (p) => [...picture(1), ...tone(3), ...x264, "-c:a", "aac", p]),
  // What a recorder streaming to a pipe leaves: no duration, no cues.
  source("live Matroska with no stated duration", "live.mkv", 2, (p) => [...picture(2), ...tone(2), ...x264, "-c:a", "aac", "-f", "matroska", "-live", "1", p]),
  // An elementary stream has no container and no timestamps at all.
  source("raw H.264 with no timestamps", "raw.h264", 2, (p) => [...picture(2), ...x264, "-f", "h264", p]),
];
