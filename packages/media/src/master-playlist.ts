import { AUDIO_GROUP_ID, audioTrackDir, type AudioRendition } from "./audio-group.ts";
import { iFrameStreamInf, type IFrameVariant } from "./iframe-playlist.ts";
import type { Rendition } from "./rendition.ts";

export const MASTER_PLAYLIST_NAME = "master.m3u8";

function audioMedia(track: AudioRendition): string {
  const attributes = [
    "TYPE=AUDIO",
    `GROUP-ID="${AUDIO_GROUP_ID}"`,
    `NAME="${track.label}"`,
    `LANGUAGE="${track.language}"`,
    `DEFAULT=${track.isDefault ? "YES" : "NO"}`,
    // Every track may be picked by the viewer's language; DEFAULT says which plays otherwise.
    "AUTOSELECT=YES",
    `CHANNELS="${track.channels}"`,
    `URI="${audioTrackDir(track.name)}/index.m3u8"`,
  ];
  return `#EXT-X-MEDIA:${attributes.join(",")}`;
}

/**
 * Kino's master playlist, written from measured renditions rather than
 * ffmpeg's estimate: BANDWIDTH and AVERAGE-BANDWIDTH come from real segment
 * sizes, CODECS from the encoded streams. Audio is one rendition group that
 * every video variant points at; rungs are listed highest first, then
 * each rung's I-frame playlist (trick play, scrubbing) in the same order.
 */
export function renderMasterPlaylist(renditions: readonly Rendition[], audio: readonly AudioRendition[] = [], iFrames: readonly IFrameVariant[] = []): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", ...audio.map(audioMedia)];
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `FRAME-RATE=${r.frameRate.toFixed(3)}`,
      `CODECS="${r.codecs}"`,
      ...(audio.length > 0 ? [`AUDIO="${AUDIO_GROUP_ID}"`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, `${r.name}/index.m3u8`);
  }
  lines.push(...iFrames.map(iFrameStreamInf));
  return `${lines.join("\n")}\n`;
}
