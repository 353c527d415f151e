import { createReadStream } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { parseMediaPlaylist } from "./media-playlist.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

/** The progressive MP4 beside the HLS package (kino.catalog.v1.Download). */
export const DOWNLOAD_NAME = "download.mp4";

/** The media playlists a download is made from, relative to the package. */
export interface DownloadTracks {
  /** The top rung's playlist, e.g. `720p/index.m3u8`. */
  video: string;
  /** The default audio track's playlist; absent for a silent video. */
  audio?: string;
}

function attribute(line: string, name: string): string | undefined {
  const match = new RegExp(`[:,]${name}=(?:"([^"]*)"|([^,]*))`).exec(line);
  return match ? (match[1] ?? match[2]) : undefined;
}

// A package path we wrote: relative, plain segments, never leaving the package.
function packagePath(uri: string): string | undefined {
  const segments = uri.split("/");
  return !uri.startsWith("/") && segments.every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== "." && s !== "..") ? uri : undefined;
}

/**
 * Which tracks of a published master playlist make the download: the
 * variant with the largest picture (then the highest BANDWIDTH), and the
 * audio track flagged DEFAULT=YES (else the first). Undefined when the
 * master names no variant it can use.
 */
export function downloadTracksOf(master: string): DownloadTracks | undefined {
  const lines = master.split(/\r?\n/).map((l) => l.trim());
  let best: { uri: string; area: number; bandwidth: number } | undefined;
  const audio: { uri: string; isDefault: boolean }[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      const uri = packagePath(lines[i + 1] ?? "");
      const [width, height] = (attribute(line, "RESOLUTION") ?? "0x0").split("x").map(Number);
      const candidate = uri && { uri, area: (width || 0) * (height || 0), bandwidth: Number(attribute(line, "BANDWIDTH")) || 0 };
      if (candidate && (!best || candidate.area > best.area || (candidate.area === best.area && candidate.bandwidth > best.bandwidth))) best = candidate;
    } else if (line.startsWith("#EXT-X-MEDIA:") && attribute(line, "TYPE") === "AUDIO") {
      const uri = packagePath(attribute(line, "URI") ?? "");
      if (uri) audio.push({ uri, isDefault: attribute(line, "DEFAULT") === "YES" });
    }
  });
  if (!best) return undefined;
  const track = audio.find((a) => a.isDefault) ?? audio[0];
  return { video: best.uri, ...(track ? { audio: track.uri } : {}) };
}

/** A media playlist's init segment and media segments, in order, relative to the package. */
export function trackFiles(playlistPath: string, playlist: string): string[] {
  const parsed = parseMediaPlaylist(playlist);
  if (!parsed.mapUri) throw new Error(`${playlistPath} has no EXT-X-MAP: not a CMAF track`);
  const dir = posix.dirname(playlistPath);
  return [parsed.mapUri, ...parsed.segments.map((s) => s.uri)].map((uri) => {
    const path = packagePath(posix.join(dir, uri));
    if (!path) throw new Error(`${playlistPath} names a file outside the package: ${uri}`);
    return path;
  });
}

async function concatenate(dir: string, files: readonly string[], into: string, signal?: AbortSignal): Promise<void> {
  const out = await open(into, "w");
  try {
    for (const file of files) {
      for await (const chunk of createReadStream(join(dir, file), signal ? { signal } : {})) await out.write(chunk as Buffer);
    }
  } finally {
    await out.close();
  }
}

export interface MakeDownloadOptions {
  /** The package directory holding the tracks' playlists, init and media segments. */
  dir: string;
  tracks: DownloadTracks;
  /** Where the MP4 is written. */
  outFile: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * Makes the progressive MP4 of a package: each CMAF track's init segment
 * and media segments joined back into one fragmented MP4 (what they were
 * cut from), then both tracks copied (no re-encode) into one MP4 whose moov
 * comes before its mdat (`+faststart`), so it plays while it downloads.
 * Resolves with its size in bytes.
 */
export async function makeDownloadMp4(options: MakeDownloadOptions): Promise<number> {
  const { dir, tracks, outFile, signal } = options;
  const joined = [{ playlist: tracks.video, file: `${outFile}.video.mp4` }, ...(tracks.audio ? [{ playlist: tracks.audio, file: `${outFile}.audio.mp4` }] : [])];
  try {
    for (const track of joined) {
      const files = trackFiles(track.playlist, await readFile(join(dir, track.playlist), "utf8"));
      await concatenate(dir, files, track.file, signal);
    }
    const inputs = joined.flatMap((t) => ["-i", t.file]);
    const maps = ["-map", "0:v:0", ...(tracks.audio ? ["-map", "1:a:0"] : [])];
    await runFfmpeg({
      args: ["-hide_banner", "-nostdin", "-v", "error", "-y", ...inputs, ...maps, "-c", "copy", "-movflags", "+faststart", "-f", "mp4", outFile],
      ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
      ...(signal ? { signal } : {}),
    });
    return (await stat(outFile)).size;
  } catch (error) {
    await rm(outFile, { force: true });
    throw error;
  } finally {
    await Promise.all(joined.map((t) => rm(t.file, { force: true })));
  }
}
