import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseMediaPlaylist, type MediaPlaylist } from "@kino/media";
import { mediaKey, type Storage } from "@kino/storage";

const execFileAsync = promisify(execFile);

export async function readText(storage: Storage, key: string): Promise<string> {
  return (await readBytes(storage, key)).toString("utf8");
}

async function readBytes(storage: Storage, key: string): Promise<Buffer> {
  const { body } = await storage.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface StoredTrack {
  text: string;
  playlist: MediaPlaylist;
  /** The init segment then every media segment, as a player would append them: one fragmented MP4. */
  file: string;
}

/** A published track (`<folder>/index.m3u8`) fetched from storage and joined into one local file. */
export async function fetchTrack(storage: Storage, videoId: string, outputId: string, folder: string[], dir: string): Promise<StoredTrack> {
  const text = await readText(storage, mediaKey(videoId, outputId, ...folder, "index.m3u8") );
  const playlist = parseMediaPlaylist(text);
  const parts = [await readBytes(storage, mediaKey(videoId, outputId, ...folder, playlist.mapUri!))];
  for (const segment of playlist.segments) parts.push(await readBytes(storage, mediaKey(videoId, outputId, ...folder, segment.uri)));
  const file = join(dir, `${videoId}-${folder.join("-")}.mp4`);
  await writeFile(file, Buffer.concat(parts));
  return { text, playlist, file };
}

/** Every frame's presentation time (video) or every packet's (audio), as ffprobe decodes the file, in order. */
export async function presentationTimes(file: string, stream: "v" | "a"): Promise<number[]> {
  const entries = stream === "v" ? "frame=pts_time" : "packet=pts_time";
  const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-select_streams", `${stream}:0`, "-show_entries", entries, "-of", "csv=p=0", file], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\n").map((l) => l.replace(/,$/, "").trim()).filter(Boolean).map(Number).sort((a, b) => a - b);
}

/** Decodes the whole file; rejects with ffmpeg's errors if any frame fails. */
export async function decodesCleanly(file: string): Promise<void> {
  const { stderr } = await execFileAsync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { maxBuffer: 16 * 1024 * 1024 });
  if (stderr.trim()) throw new Error(`decode errors in ${file}: ${stderr.trim().slice(0, 500)}`);
}

export const sumOf = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** Every stored key under `prefix`. */
export async function keysUnder(storage: Storage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of storage.list(prefix)) keys.push(object.key);
  return keys;
}
