import type { DashAudioGroup, DashRepresentation } from "@kino/dash";
import type { AudioRendition, LadderPlan, Rendition } from "@kino/media";
import type { OutputWarning } from "../pool/job.ts";

/** One range of a chunked video: whole segments of the shared grid. */
export interface RangeSpec {
  index: number;
  /** Seconds from the source's first timestamp (ffmpeg's -ss), where its first segment starts. */
  start: number;
  /** Where the next range starts; past the end of the source for the last one. */
  end: number;
  /** Its first segment's index in the whole video's playlists. */
  firstSegment: number;
  /** Its segments' starts, seconds from `start` (the first is 0): keyframes forced there. */
  segmentStarts: number[];
}

/**
 * What the plan job decided for a chunked video, kept in the range store
 * under its output id: enough for any host to encode a range and for
 * whoever joins to write the package, without the source.
 */
export interface ChunkPlan {
  videoId: string;
  outputId: string;
  durationSeconds: number;
  /** The source's first timestamp, seconds: added to range times to get the slice's own (-copyts) timestamps. */
  sourceStartSeconds: number;
  segmentSeconds: number;
  preset?: string;
  /** The rungs the ranges encode (highest first), with the picture's filters; no audio (the group is made once). */
  ladder: LadderPlan;
  /** A non-standard source's fast first rung: already published, it stays the ladder's lowest rung. */
  fastRung?: Rendition;
  /** The audio group the plan job published, which every rung points at. */
  audio: AudioRendition[];
  /** The same audio tracks and the fast rung as the DASH manifest describes them, timed from the plan job's files, for the join's MPD. */
  dash: { audio: DashAudioGroup[]; fastRung?: DashRepresentation };
  ranges: RangeSpec[];
}

/** One segment a range attempt uploaded, named for that attempt. */
export interface RangeSegment {
  /** File name in the rung's folder: `seg_<global index>_<attempt>.m4s`. */
  file: string;
  durationSeconds: number;
  sizeBytes: number;
  /** Where it lies on the whole video's timeline, in the track's timescale (its boxes, once shifted). */
  start: number;
  ticks: number;
}

export interface RangeRung {
  name: string;
  /** The video track's RFC 6381 codec. */
  codecs: string;
  /** Of its init segment: every range of a rung must have the same one, which range 0 uploads as `init.mp4`. */
  initSha256: string;
  timescale: number;
  segments: RangeSegment[];
}

/** The winning attempt of one range: the first to record it. */
export interface RangeRecord {
  attempt: string;
  rungs: RangeRung[];
}

/** The plan job's auxiliary outputs (poster, storyboard, preview), made from the whole source while the ranges encode. */
export interface AuxiliaryRecord {
  posterMissing: boolean;
  hasStoryboard: boolean;
  hasPreview: boolean;
  warnings: OutputWarning[];
}

/**
 * Groups consecutive segments into ranges of at least `rangeSeconds` each
 * (a remainder shorter than half of it joins the range before). `starts`
 * are the segment starts of the whole video, ascending, the first where the
 * picture starts; `end` is where the last segment ends.
 */
export function planRanges(starts: readonly number[], end: number, rangeSeconds: number): RangeSpec[] {
  if (starts.length === 0) throw new RangeError("no segments to split");
  if (!(rangeSeconds > 0)) throw new RangeError(`rangeSeconds must be positive, not ${rangeSeconds}`);
  const cuts: number[] = [0];
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! - starts[cuts.at(-1)!]! >= rangeSeconds) cuts.push(i);
  }
  if (cuts.length > 1 && end - starts[cuts.at(-1)!]! < rangeSeconds / 2) cuts.pop();
  return cuts.map((first, index) => {
    const next = cuts[index + 1];
    const start = starts[first]!;
    const segmentStarts = starts.slice(first, next ?? starts.length).map((s) => s - start);
    return { index, start, end: next === undefined ? end + 1 : starts[next]!, firstSegment: first, segmentStarts };
  });
}
