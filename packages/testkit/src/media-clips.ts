import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface ClipOptions {
  width?: number;
  height?: number;
  rate?: number;
  seconds?: number;
  audio?: boolean;
}

/** A synthetic test clip (testsrc2 picture, sine tone) written by ffmpeg itself. */
export async function makeClip(path: string, options: ClipOptions = {}): Promise<string> {
  const { width = 320, height = 180, rate = 30, seconds = 3, audio = true } = options;
  const inputs = ["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${rate}:duration=${seconds}`];
  if (audio) inputs.push("-f", "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${seconds}`);
  const codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", ...(audio ? ["-c:a", "aac"] : [])];
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
