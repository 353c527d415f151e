import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MPD_NAME, readHlsTrack, renderMpd, type DashAudioGroup, type DashRepresentation, type HlsTrack } from "@kino/dash";
import type { FinishedAudioTrack, FinishedRendition } from "@kino/media";

export { MPD_NAME } from "@kino/dash";

function timed(track: HlsTrack): Pick<DashRepresentation, "initUri" | "segmentUris" | "timescale" | "segments"> {
  return { initUri: track.initUri, segmentUris: track.segmentUris, timescale: track.init.timescale, segments: track.segments };
}

/**
 * Writes `manifest.mpd` beside the master playlist: the same video rungs
 * and audio tracks, timed from their CMAF files, naming the very files the
 * HLS playlists list (no second copy).
 */
/** A rung's DASH representation, timed from its local files. */
export async function dashVideoRepresentation(outDir: string, v: FinishedRendition): Promise<DashRepresentation> {
  return {
    id: v.rendition.name,
    bandwidth: v.video.bandwidth,
    codecs: v.video.codecs,
    width: v.rendition.width,
    height: v.rendition.height,
    ...(v.rendition.frameRate > 0 ? { frameRate: v.rendition.frameRate } : {}),
    ...timed(await readHlsTrack(outDir, v.playlist)),
  };
}

/** The audio group as DASH adaptation sets, timed from its local files. */
export function dashAudioGroups(outDir: string, audio: readonly FinishedAudioTrack[]): Promise<DashAudioGroup[]> {
  return Promise.all(
    audio.map(async (a) => ({
      language: a.rendition.language === "und" ? "" : a.rendition.language,
      label: a.rendition.label,
      isDefault: a.rendition.isDefault,
      representations: [
        {
          id: `audio-${a.rendition.name}`,
          bandwidth: a.rendition.bandwidth,
          codecs: a.rendition.codecs,
          audioSamplingRate: a.rendition.sampleRate,
          channels: a.rendition.channels,
          ...timed(await readHlsTrack(outDir, a.playlist)),
        },
      ],
    })),
  );
}

export async function writeDashManifest(outDir: string, manifest: { durationSeconds: number; video: readonly FinishedRendition[]; audio: readonly FinishedAudioTrack[] }): Promise<void> {
  const video = await Promise.all(manifest.video.map((v) => dashVideoRepresentation(outDir, v)));
  const audio = await dashAudioGroups(outDir, manifest.audio);
  await writeFile(join(outDir, MPD_NAME), renderMpd({ durationSeconds: manifest.durationSeconds, video, audio }));
}
