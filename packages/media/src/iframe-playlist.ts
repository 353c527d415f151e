/** Each rung's I-frame playlist, beside its media playlist: `<rung>/iframes.m3u8`. */
export const IFRAME_PLAYLIST_NAME = "iframes.m3u8";

/** One keyframe as an I-frame playlist names it: a byte range of a segment file the media playlist already lists. */
export interface IFrameEntry {
  /** Relative to the I-frame playlist (a file name in the rung's folder). */
  uri: string;
  offset: number;
  length: number;
  /** Until the next I-frame (the last: until the end of the track). */
  durationSeconds: number;
}

/** A rung's I-frame playlist as the master lists it (EXT-X-I-FRAME-STREAM-INF). */
export interface IFrameVariant {
  /** Relative to the master: `<rung>/iframes.m3u8`. */
  uri: string;
  /** Peak bits per second of the I-frames alone: the largest byte range over its duration. */
  bandwidth: number;
  width: number;
  height: number;
  /** The video codec alone: an I-frame playlist has no audio. */
  codecs: string;
}

/** The I-frame bit rate HLS asks for: each range's bits over the time it stands for, the highest. */
export function iFrameBandwidth(entries: readonly IFrameEntry[]): number {
  return Math.ceil(Math.max(0, ...entries.map((e) => (e.length * 8) / Math.max(e.durationSeconds, 0.001))));
}

/**
 * An `EXT-X-I-FRAMES-ONLY` playlist over the rung's own CMAF files: the
 * init segment as EXT-X-MAP, then one EXT-X-BYTERANGE per keyframe (moof,
 * mdat header and the keyframe sample), so trick play needs no second copy.
 */
export function renderIFramePlaylist(initUri: string, entries: readonly IFrameEntry[]): string {
  if (entries.length === 0) throw new RangeError("an I-frame playlist needs at least one keyframe");
  const target = Math.max(1, ...entries.map((e) => Math.ceil(e.durationSeconds)));
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", `#EXT-X-TARGETDURATION:${target}`, "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-I-FRAMES-ONLY", "#EXT-X-INDEPENDENT-SEGMENTS", `#EXT-X-MAP:URI="${initUri}"`];
  for (const e of entries) lines.push(`#EXTINF:${e.durationSeconds.toFixed(6)},`, `#EXT-X-BYTERANGE:${e.length}@${e.offset}`, e.uri);
  lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

/** The master's line for one rung's I-frame playlist. */
export function iFrameStreamInf(variant: IFrameVariant): string {
  return `#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=${variant.bandwidth},RESOLUTION=${variant.width}x${variant.height},CODECS="${variant.codecs}",URI="${variant.uri}"`;
}
