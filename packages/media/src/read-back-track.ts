import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { measureBandwidth } from "./measure-bandwidth.ts";
import { parseMediaPlaylist, replaceMapUri } from "./media-playlist.ts";

export const INIT_SEGMENT_NAME = "init.mp4";
export const MEDIA_PLAYLIST_NAME = "index.m3u8";

/** One track's files as ffmpeg wrote them into `<outDir>/<dir>/`, read back. */
export interface ReadBackTrack {
  /** Playlist, init segment and media segments, relative to outDir. */
  files: string[];
  segmentDurations: number[];
  /** Bits per second, from the real segment sizes. */
  bandwidth: number;
  averageBandwidth: number;
}

function plainFileName(uri: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(uri)) throw new Error(`unexpected URI ${JSON.stringify(uri)} in a media playlist ffmpeg wrote`);
  return uri;
}

/**
 * Gives the track's init segment its stable name (ffmpeg suffixes it per
 * variant), then measures bit rates from the segments' sizes.
 */
export async function readBackTrack(outDir: string, dir: string): Promise<ReadBackTrack> {
  const trackDir = join(outDir, dir);
  const playlistPath = join(trackDir, MEDIA_PLAYLIST_NAME);
  let text = await readFile(playlistPath, "utf8");
  const written = parseMediaPlaylist(text);
  if (!written.mapUri) throw new Error(`${playlistPath} has no EXT-X-MAP: not an fMP4 playlist`);
  if (plainFileName(written.mapUri) !== INIT_SEGMENT_NAME) {
    await rename(join(trackDir, written.mapUri), join(trackDir, INIT_SEGMENT_NAME));
    text = replaceMapUri(text, INIT_SEGMENT_NAME);
    await writeFile(playlistPath, text);
  }
  const segments = await Promise.all(
    written.segments.map(async (s) => ({ uri: plainFileName(s.uri), durationSeconds: s.durationSeconds, sizeBytes: (await stat(join(trackDir, s.uri))).size })),
  );
  const { peak, average } = measureBandwidth(segments, written.targetDurationSeconds);
  return {
    files: [MEDIA_PLAYLIST_NAME, INIT_SEGMENT_NAME, ...segments.map((s) => s.uri)].map((f) => `${dir}/${f}`),
    segmentDurations: segments.map((s) => s.durationSeconds),
    bandwidth: peak,
    averageBandwidth: average,
  };
}
