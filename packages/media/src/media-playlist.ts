/** What Kino reads back from a media playlist ffmpeg wrote. */
export interface MediaPlaylist {
  targetDurationSeconds: number;
  /** URI of the fMP4 initialization segment (EXT-X-MAP), relative to the playlist. */
  mapUri?: string;
  segments: { uri: string; durationSeconds: number }[];
}

const MAP_LINE = /^#EXT-X-MAP:(.*)$/;

function mapUriOf(attributes: string): string | undefined {
  return /(?:^|,)URI="([^"]*)"/.exec(attributes)?.[1];
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== "#EXTM3U") throw new Error("not an HLS playlist: missing #EXTM3U");
  const playlist: MediaPlaylist = { targetDurationSeconds: 0, segments: [] };
  let pendingDuration: number | undefined;
  for (const line of lines) {
    if (line.startsWith("#EXT-X-TARGETDURATION:")) playlist.targetDurationSeconds = Number(line.slice("#EXT-X-TARGETDURATION:".length));
    else if (line.startsWith("#EXTINF:")) pendingDuration = Number.parseFloat(line.slice("#EXTINF:".length));
    else if (MAP_LINE.test(line)) playlist.mapUri = mapUriOf(MAP_LINE.exec(line)?.[1] ?? "");
    else if (line && !line.startsWith("#")) {
      if (pendingDuration === undefined || !Number.isFinite(pendingDuration)) throw new Error(`segment ${line} has no #EXTINF duration`);
      playlist.segments.push({ uri: line, durationSeconds: pendingDuration });
      pendingDuration = undefined;
    }
  }
  return playlist;
}

/** Points the playlist's EXT-X-MAP at `uri`, leaving every other line as written. */
export function replaceMapUri(text: string, uri: string): string {
  return text.replace(/^#EXT-X-MAP:URI="[^"]*"/m, `#EXT-X-MAP:URI="${uri}"`);
}

/** A VOD fMP4 media playlist: one init segment, then each segment with its duration, no discontinuity. */
export function renderMediaPlaylist(initUri: string, segments: readonly { uri: string; durationSeconds: number }[]): string {
  const longest = segments.reduce((max, s) => Math.max(max, s.durationSeconds), 0);
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    // RFC 8216: every EXTINF rounded to the nearest integer is at most the target duration.
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.round(longest))}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    `#EXT-X-MAP:URI="${initUri}"`,
    ...segments.flatMap((s) => [`#EXTINF:${s.durationSeconds.toFixed(6)},`, s.uri]),
    "#EXT-X-ENDLIST",
  ];
  return `${lines.join("\n")}\n`;
}
