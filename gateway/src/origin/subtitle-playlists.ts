/** A caption track as the master playlist names it. */
export interface PlaybackCaption {
  /** Canonical BCP 47 (letters, digits, '-'): safe inside a playlist attribute and a path segment. */
  language: string;
  label: string;
}

export const SUBTITLES_GROUP = "subs";

// A quoted-string attribute may hold neither a double quote nor a line break (RFC 8216 §4.2).
const quoted = (text: string) => `"${text.replace(/["\r\n]/g, "'")}"`;

/**
 * The stored master with a subtitles group: one EXT-X-MEDIA per track, before
 * the first variant, and SUBTITLES on every EXT-X-STREAM-INF. URIs are
 * relative (`captions/<lang>.m3u8`), so they resolve under a signed
 * master's `~<token>` segment like the variants do.
 */
export function withSubtitles(master: string, captions: readonly PlaybackCaption[]): string {
  if (captions.length === 0) return master;
  const media = captions.map(
    (c) =>
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLES_GROUP}",LANGUAGE="${c.language}",NAME=${quoted(c.label || c.language)},DEFAULT=NO,AUTOSELECT=YES,URI="captions/${c.language}.m3u8"`,
  );
  const lines = master.split("\n");
  const out: string[] = [];
  let inserted = false;
  for (const line of lines) {
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      if (!inserted) out.push(...media, "");
      inserted = true;
      out.push(line.includes("SUBTITLES=") ? line : `${line.replace(/\r$/, "")},SUBTITLES="${SUBTITLES_GROUP}"`);
    } else {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** One track's media playlist: its whole WebVTT file as one segment the length of the video. */
export function captionPlaylist(language: string, durationSeconds: number): string {
  const duration = Math.max(durationSeconds, 0.001);
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.ceil(duration)}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXTINF:${duration.toFixed(3)},`,
    `${language}.vtt`,
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}
