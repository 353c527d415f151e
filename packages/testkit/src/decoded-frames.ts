import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * How many frames ffmpeg decodes from a file (of its first video stream, or
 * its first audio stream when it has no video); 0 when ffmpeg cannot read
 * it at all. For checks that bytes are (or are not) playable media.
 */
export async function decodedFrames(path: string): Promise<number> {
  try {
    const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_type,nb_read_frames", "-print_format", "json", path]);
    const streams = (JSON.parse(stdout) as { streams?: { codec_type: string; nb_read_frames?: string }[] }).streams ?? [];
    const stream = streams.find((s) => s.codec_type === "video") ?? streams[0];
    return Number(stream?.nb_read_frames ?? 0) || 0;
  } catch {
    return 0;
  }
}
