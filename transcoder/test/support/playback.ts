import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseMediaPlaylist } from "@kino/media";
import type { Storage } from "@kino/storage";
import { ffprobeJson } from "@kino/testkit";

const execFileAsync = promisify(execFile);

export interface PlayedRendition {
  /** What ffmpeg said while decoding it start to end; empty when it played cleanly. */
  errors: string;
  width: number;
  height: number;
  pixFmt: string;
  profile: string;
  frames: number;
  hasAudio: boolean;
}

async function bytes(storage: Storage, key: string): Promise<Buffer> {
  const object = await storage.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Plays one published rendition as a player would: its init segment and every media segment, from storage, through a decoder. */
export async function playRendition(storage: Storage, prefix: string, rung: string, scratchDir: string): Promise<PlayedRendition> {
  const playlist = parseMediaPlaylist((await bytes(storage, `${prefix}${rung}/index.m3u8`)).toString("utf8"));
  const parts = await Promise.all([playlist.mapUri!, ...playlist.segments.map((s) => s.uri)].map((uri) => bytes(storage, `${prefix}${rung}/${uri}`)));
  const joined = join(scratchDir, `${prefix.replaceAll("/", "_")}${rung}.mp4`);
  await writeFile(joined, Buffer.concat(parts));
  const { stderr } = await execFileAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", joined, "-f", "null", "-"]);
  const { streams } = await ffprobeJson(joined, ["-count_frames", "-show_streams"]);
  const video = streams.find((s: { codec_type: string }) => s.codec_type === "video");
  return {
    errors: stderr,
    width: video.width,
    height: video.height,
    pixFmt: video.pix_fmt,
    profile: video.profile,
    frames: Number(video.nb_read_frames),
    hasAudio: streams.some((s: { codec_type: string }) => s.codec_type === "audio"),
  };
}
