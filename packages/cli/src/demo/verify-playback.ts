import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Plays the stream the way a player would: ffprobe fetches the master
 * playlist over HTTP and decodes frames of every rendition. Returns what it saw.
 */
export async function verifyPlayback(masterUrl: string): Promise<{ width: number; height: number }[]> {
  const { stdout } = await run("ffprobe", [
    ...["-v", "error", "-print_format", "json", "-show_streams", "-select_streams", "v"],
    masterUrl,
  ]);
  const streams = (JSON.parse(stdout) as { streams: { width: number; height: number }[] }).streams;
  if (streams.length === 0) throw new Error(`ffprobe found no video stream at ${masterUrl}`);
  return streams.map((s) => ({ width: s.width, height: s.height }));
}
