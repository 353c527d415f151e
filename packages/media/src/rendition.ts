import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readAvcCodecString } from "./avc-codec-string.ts";
import type { LadderPlan, LadderRung } from "./ladder.ts";
import { measureBandwidth } from "./measure-bandwidth.ts";
import { parseMediaPlaylist, replaceMapUri } from "./media-playlist.ts";

/** One encoded rung as the master playlist and the catalog describe it. */
export interface Rendition {
  name: string;
  width: number;
  height: number;
  frameRate: number;
  /** Peak bits per second (HLS BANDWIDTH). */
  bandwidth: number;
  /** Average bits per second (HLS AVERAGE-BANDWIDTH). */
  averageBandwidth: number;
  /** RFC 6381 codecs, e.g. `avc1.64001f,mp4a.40.2`. */
  codecs: string;
}

export interface FinishedRendition {
  rendition: Rendition;
  /** Paths relative to the output directory: playlist, init segment, media segments. */
  files: string[];
  segmentDurations: number[];
}

export const INIT_SEGMENT_NAME = "init.mp4";
export const MEDIA_PLAYLIST_NAME = "index.m3u8";
// ffmpeg's aac encoder writes AAC-LC: object type 2.
const AAC_LC_CODEC = "mp4a.40.2";

function plainFileName(uri: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(uri)) throw new Error(`unexpected URI ${JSON.stringify(uri)} in a media playlist ffmpeg wrote`);
  return uri;
}

/**
 * Reads back what ffmpeg wrote for one rung: gives the init segment its
 * stable name (ffmpeg suffixes it per variant), then measures bit rates
 * from the real segment sizes and reads the codec from the init segment.
 */
export function finishRendition(outDir: string, rung: LadderRung, plan: LadderPlan): Promise<FinishedRendition> {
  return finishOutput(outDir, { name: rung.name, width: rung.width, height: rung.height, frameRate: plan.frameRate }, plan.audio ? AAC_LC_CODEC : undefined);
}

/** What a rung's output is, before its files are read back. */
export interface OutputShape {
  name: string;
  width: number;
  height: number;
  frameRate: number;
}

/** finishRendition for any H.264 output in `<outDir>/<name>/`; `audioCodecs` is the RFC 6381 name of its audio, if it has any. */
export async function finishOutput(outDir: string, rung: OutputShape, audioCodecs: string | undefined): Promise<FinishedRendition> {
  const rungDir = join(outDir, rung.name);
  const playlistPath = join(rungDir, MEDIA_PLAYLIST_NAME);
  let text = await readFile(playlistPath, "utf8");
  const written = parseMediaPlaylist(text);
  if (!written.mapUri) throw new Error(`${playlistPath} has no EXT-X-MAP: not an fMP4 playlist`);
  if (plainFileName(written.mapUri) !== INIT_SEGMENT_NAME) {
    await rename(join(rungDir, written.mapUri), join(rungDir, INIT_SEGMENT_NAME));
    text = replaceMapUri(text, INIT_SEGMENT_NAME);
    await writeFile(playlistPath, text);
  }
  const segments = await Promise.all(
    written.segments.map(async (s) => ({ uri: plainFileName(s.uri), durationSeconds: s.durationSeconds, sizeBytes: (await stat(join(rungDir, s.uri))).size })),
  );
  const { peak, average } = measureBandwidth(segments, written.targetDurationSeconds);
  const videoCodec = await readAvcCodecString(join(rungDir, INIT_SEGMENT_NAME));
  return {
    rendition: {
      name: rung.name,
      width: rung.width,
      height: rung.height,
      frameRate: rung.frameRate,
      bandwidth: peak,
      averageBandwidth: average,
      codecs: audioCodecs ? `${videoCodec},${audioCodecs}` : videoCodec,
    },
    files: [MEDIA_PLAYLIST_NAME, INIT_SEGMENT_NAME, ...segments.map((s) => s.uri)].map((f) => `${rung.name}/${f}`),
    segmentDurations: segments.map((s) => s.durationSeconds),
  };
}
