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
