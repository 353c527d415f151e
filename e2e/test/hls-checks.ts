import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface MasterVariant {
  uri: string;
  attributes: Record<string, string>;
}

/** The variants of a master playlist with their attributes, quotes removed. */
export function parseMaster(text: string): MasterVariant[] {
  const lines = text.split("\n").map((l) => l.trim());
  const variants: MasterVariant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const attributes: Record<string, string> = {};
    for (const match of line.slice("#EXT-X-STREAM-INF:".length).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)) {
      attributes[match[1]!] = match[2]!.replace(/^"|"$/g, "");
    }
    variants.push({ uri: lines[i + 1]!, attributes });
  });
  return variants;
}

/** The EXT-X-MEDIA renditions (audio tracks, subtitles) of a master playlist, quotes removed. */
export function parseMedias(text: string): Record<string, string>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("#EXT-X-MEDIA:"))
    .map((line) => Object.fromEntries([...line.slice("#EXT-X-MEDIA:".length).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, "")])));
}

/** The kinds of stream ("video", "audio") one rendition's files hold, read through the origin. */
export async function streamKinds(playlistUrl: string): Promise<string[]> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "json", playlistUrl]);
  return (JSON.parse(stdout) as { streams: { codec_type: string }[] }).streams.map((s) => s.codec_type);
}

/** EXTINF durations and segment URIs of a media playlist. */
export function parseMedia(text: string): { durations: number[]; segments: string[]; init: string } {
  const lines = text.split("\n").map((l) => l.trim());
  const durations = lines.filter((l) => l.startsWith("#EXTINF:")).map((l) => Number(l.slice(8).split(",")[0]));
  const segments = lines.filter((l) => l !== "" && !l.startsWith("#"));
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1] ?? "";
  return { durations, segments, init };
}

/** Decodes every frame of one rendition through the origin, as a player would; returns what ffprobe saw. */
export async function decodeRendition(playlistUrl: string): Promise<{ width: number; height: number; frames: number }> {
  const { stdout } = await run("ffprobe", [
    ...["-v", "error", "-select_streams", "v:0", "-count_frames"],
    ...["-show_entries", "stream=width,height,nb_read_frames", "-of", "json", playlistUrl],
  ]);
  const stream = (JSON.parse(stdout) as { streams: { width: number; height: number; nb_read_frames: string }[] }).streams[0]!;
  return { width: stream.width, height: stream.height, frames: Number(stream.nb_read_frames) };
}
