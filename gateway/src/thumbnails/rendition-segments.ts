/** One media segment of a rendition and where it lies in the video. */
export interface SegmentAt {
  /** URIs relative to the output's root folder. */
  init: string;
  segment: string;
  /** Start of the segment in the video, seconds. */
  start: number;
  duration: number;
}

function resolve(base: string, uri: string): string | undefined {
  // Only plain relative names as the transcoder writes them; anything else is not ours to fetch.
  if (!/^[A-Za-z0-9._/-]+$/.test(uri) || uri.split("/").some((s) => s === ".." || s === "." || s === "")) return undefined;
  return base === "" ? uri : `${base}/${uri}`;
}

/** The media playlist of the narrowest variant at least `width` wide (the widest if none is), from the master. */
export function variantFor(master: string, width: number): string | undefined {
  const variants: { width: number; uri: string }[] = [];
  const lines = master.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const resolution = /RESOLUTION=(\d+)x\d+/.exec(line);
    const uri = lines[index + 1]?.trim();
    if (resolution && uri && !uri.startsWith("#")) variants.push({ width: Number(resolution[1]), uri });
  });
  variants.sort((a, b) => a.width - b.width);
  return (variants.find((v) => v.width >= width) ?? variants[variants.length - 1])?.uri;
}

/** The video's length and the segment holding `second`, from a media playlist at `playlistUri` (with EXT-X-MAP, as CMAF is). */
export function segmentAt(playlistUri: string, playlist: string, second: number): { durationSeconds: number; at: SegmentAt | undefined } {
  const base = playlistUri.includes("/") ? playlistUri.slice(0, playlistUri.lastIndexOf("/")) : "";
  let init: string | undefined;
  let pending: number | undefined;
  let start = 0;
  let at: SegmentAt | undefined;
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map) init = resolve(base, map[1]!);
    else if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
    else if (line !== "" && !line.startsWith("#") && pending !== undefined) {
      const segment = resolve(base, line);
      if (!at && init && segment && second < start + pending) at = { init, segment, start, duration: pending };
      start += pending;
      pending = undefined;
    }
  }
  // The last second may lie past the last segment's start by rounding: it belongs to the last segment.
  return { durationSeconds: start, at };
}
