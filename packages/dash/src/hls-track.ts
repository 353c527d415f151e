import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { readInit, readSegmentTime, type InitInfo, type SegmentTime } from "./track-timing.ts";

/** A rendition's files as its HLS media playlist lists them, timed from the files themselves. */
export interface HlsTrack {
  /** Relative to the package root, where the MPD lives. */
  initUri: string;
  segmentUris: string[];
  init: InitInfo;
  segments: SegmentTime[];
}

function packagePath(playlistDir: string, uri: string): string {
  const path = posix.normalize(posix.join(playlistDir, uri));
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || path.startsWith("../") || path.startsWith("/") || path === "..") {
    throw new Error(`playlist URI ${JSON.stringify(uri)} leaves the package`);
  }
  return path;
}

/**
 * Reads `playlist` (relative to `packageDir`, e.g. `720p/index.m3u8`): its
 * EXT-X-MAP and segment URIs, and each file's position on the track's
 * timeline from its boxes, not from EXTINF's rounded seconds.
 */
export async function readHlsTrack(packageDir: string, playlist: string): Promise<HlsTrack> {
  const text = await readFile(posix.join(packageDir, playlist), "utf8");
  const dir = posix.dirname(playlist);
  let initUri: string | undefined;
  const segmentUris: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map) {
      if (initUri !== undefined) throw new Error(`${playlist} has more than one EXT-X-MAP: not one CMAF track`);
      initUri = packagePath(dir, map[1]!);
    } else if (line.trim() && !line.startsWith("#")) {
      segmentUris.push(packagePath(dir, line.trim()));
    }
  }
  if (!initUri) throw new Error(`${playlist} has no EXT-X-MAP: not a CMAF (fMP4) rendition`);
  if (segmentUris.length === 0) throw new Error(`${playlist} lists no segments`);
  const init = readInit(await readFile(posix.join(packageDir, initUri)));
  const segments: SegmentTime[] = [];
  for (const uri of segmentUris) segments.push(readSegmentTime(await readFile(posix.join(packageDir, uri)), init));
  return { initUri, segmentUris, init, segments };
}
