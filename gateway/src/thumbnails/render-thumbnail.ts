import { spawn } from "node:child_process";
import { KinoError } from "@kino/platform";

/**
 * One JPEG frame, `width` wide, at `offset` seconds into the rendition's
 * init segment and one media segment (given as their bytes): ffmpeg decodes
 * that segment alone, never the whole video.
 */
export function renderThumbnail(init: Buffer, segment: Buffer, offset: number, width: number, timeoutMs = 20_000): Promise<Buffer> {
  return new Promise((done, fail) => {
    const ffmpeg = spawn(
      "ffmpeg",
      ["-hide_banner", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-ss", offset.toFixed(3), "-an", "-frames:v", "1",
        "-vf", `scale=${width}:-2`, "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", "pipe:1"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    const timer = setTimeout(() => ffmpeg.kill("SIGKILL"), timeoutMs);
    const out: Buffer[] = [];
    let errors = "";
    ffmpeg.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    ffmpeg.stderr.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
    // ffmpeg may stop reading once it has its frame; the rest of the input is not needed.
    ffmpeg.stdin.on("error", () => {});
    ffmpeg.on("error", (error) => {
      clearTimeout(timer);
      fail(new KinoError("unavailable", "ffmpeg could not be started for a thumbnail", { cause: error }));
    });
    ffmpeg.on("close", (code, signal) => {
      clearTimeout(timer);
      const image = Buffer.concat(out);
      if (code === 0 && image.length > 0) return done(image);
      fail(new KinoError("unavailable", `ffmpeg made no thumbnail (${signal ?? `exit ${code}`}): ${errors.trim()}`));
    });
    ffmpeg.stdin.end(Buffer.concat([init, segment]));
  });
}
