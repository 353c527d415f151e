import type { Rendition } from "./rendition.ts";

export const MASTER_PLAYLIST_NAME = "master.m3u8";

/**
 * Kino's master playlist, written from measured renditions rather than
 * ffmpeg's estimate: BANDWIDTH and AVERAGE-BANDWIDTH come from real segment
 * sizes, CODECS from the encoded streams. Rungs are listed highest first.
 */
export function renderMasterPlaylist(renditions: readonly Rendition[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `FRAME-RATE=${r.frameRate.toFixed(3)}`,
      `CODECS="${r.codecs}"`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, `${r.name}/index.m3u8`);
  }
  return `${lines.join("\n")}\n`;
}
