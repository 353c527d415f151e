import { join } from "node:path";
import type { AudioGroupSummary } from "./audio-group.ts";
import { readAvcCodecString } from "./avc-codec-string.ts";
import type { LadderPlan, LadderRung } from "./ladder.ts";
import { INIT_SEGMENT_NAME, MEDIA_PLAYLIST_NAME, readBackTrack } from "./read-back-track.ts";

export { INIT_SEGMENT_NAME, MEDIA_PLAYLIST_NAME } from "./read-back-track.ts";

/** One video variant as the master playlist and the catalog describe it: its picture, plus the audio group it points at. */
export interface Rendition {
  name: string;
  width: number;
  height: number;
  frameRate: number;
  /** Peak bits per second (HLS BANDWIDTH): the video's, plus the costliest audio track's. */
  bandwidth: number;
  /** Average bits per second (HLS AVERAGE-BANDWIDTH), likewise. */
  averageBandwidth: number;
  /** RFC 6381 codecs, the video's then the audio group's, e.g. `avc1.64001f,mp4a.40.2`. */
  codecs: string;
}

export interface FinishedRendition {
  rendition: Rendition;
  /** The video track alone, as a DASH representation describes it. */
  video: { codecs: string; bandwidth: number; averageBandwidth: number };
  /** Relative to the output directory: `<name>/index.m3u8`. */
  playlist: string;
  /** Paths relative to the output directory: playlist, init segment, media segments. */
  files: string[];
  segmentDurations: number[];
}

/** Reads back what ffmpeg wrote for one rung; `audio` is the group every rung points at, if the source has sound. */
export function finishRendition(outDir: string, rung: LadderRung, plan: LadderPlan, audio: AudioGroupSummary | undefined): Promise<FinishedRendition> {
  return finishOutput(outDir, { name: rung.name, width: rung.width, height: rung.height, frameRate: plan.frameRate }, audio);
}

/** What a rung's output is, before its files are read back. */
export interface OutputShape {
  name: string;
  width: number;
  height: number;
  frameRate: number;
}

/** finishRendition for any H.264 video-only output in `<outDir>/<name>/`. */
export async function finishOutput(outDir: string, rung: OutputShape, audio: AudioGroupSummary | undefined): Promise<FinishedRendition> {
  const read = await readBackTrack(outDir, rung.name);
  const videoCodec = await readAvcCodecString(join(outDir, rung.name, INIT_SEGMENT_NAME));
  return {
    rendition: {
      name: rung.name,
      width: rung.width,
      height: rung.height,
      frameRate: rung.frameRate,
      bandwidth: read.bandwidth + (audio?.bandwidth ?? 0),
      averageBandwidth: read.averageBandwidth + (audio?.averageBandwidth ?? 0),
      codecs: audio ? `${videoCodec},${audio.codecs}` : videoCodec,
    },
    video: { codecs: videoCodec, bandwidth: read.bandwidth, averageBandwidth: read.averageBandwidth },
    playlist: `${rung.name}/${MEDIA_PLAYLIST_NAME}`,
    files: read.files,
    segmentDurations: read.segmentDurations,
  };
}
