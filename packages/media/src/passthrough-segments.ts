import type { KeyframeScan } from "./keyframes.ts";
import { measureBandwidth, type Bandwidth } from "./measure-bandwidth.ts";

/** One passthrough segment: whole GOPs of the source, cut before the remux runs. */
export interface PassthroughSegment {
  /** Index of its first keyframe in KeyframeScan.keyframes. */
  firstGop: number;
  gops: number;
  startSeconds: number;
  durationSeconds: number;
  /** Its fragments' bytes: the packets plus an estimate of their boxes. */
  sizeBytes: number;
}

// A moof/traf/trun and an mdat header per fragment, 16 bytes of trun entry per sample: what ffmpeg's fragments add to the packets.
const FRAGMENT_OVERHEAD_BYTES = 200;
const SAMPLE_OVERHEAD_BYTES = 16;
// pts_time is printed with 6 decimals: a keyframe exactly on a multiple must not read as just short of it.
const EPSILON_SECONDS = 1e-6;

/**
 * Cuts a stream copy into segments as ffmpeg's HLS muxer does: at the first
 * keyframe at or past each multiple of `segmentSeconds` counted from the
 * first keyframe (so a long GOP is followed by short segments until the cuts
 * catch up). Encoded rungs keyed at these starts are cut by their own muxer
 * at the very same places. `endSeconds` is where the picture ends.
 */
export function planPassthroughSegments(scan: Pick<KeyframeScan, "keyframes" | "gops">, endSeconds: number, segmentSeconds: number): PassthroughSegment[] {
  if (!(segmentSeconds > 0)) throw new RangeError(`segmentSeconds must be positive, got ${segmentSeconds}`);
  const { keyframes, gops } = scan;
  if (keyframes.length === 0) throw new RangeError("a passthrough needs at least one keyframe");
  if (gops.length !== keyframes.length) throw new RangeError("the keyframe scan has no GOP sizes: the keyframes are out of order");
  const origin = keyframes[0]!;
  const firsts = [0];
  for (let g = 1; g < keyframes.length; g++) {
    if (keyframes[g]! - origin >= firsts.length * segmentSeconds - EPSILON_SECONDS) firsts.push(g);
  }
  return firsts.map((firstGop, i) => {
    const next = firsts[i + 1] ?? keyframes.length;
    const startSeconds = keyframes[firstGop]!;
    const stop = next < keyframes.length ? keyframes[next]! : endSeconds;
    let sizeBytes = 0;
    for (let g = firstGop; g < next; g++) sizeBytes += gops[g]!.bytes + gops[g]!.frames * SAMPLE_OVERHEAD_BYTES + FRAGMENT_OVERHEAD_BYTES;
    return { firstGop, gops: next - firstGop, startSeconds, durationSeconds: stop - startSeconds, sizeBytes };
  });
}

/** The plan's bit rates, as measureBandwidth reads them from written files. */
export function plannedBandwidth(segments: readonly PassthroughSegment[]): Bandwidth {
  const longest = segments.reduce((max, s) => Math.max(max, s.durationSeconds), 0);
  return measureBandwidth(segments, Math.max(1, Math.round(longest)));
}
