import { BoxError, boxes, child, children, need, versionAndFlags } from "./boxes.ts";
import type { InitInfo } from "./track-timing.ts";

/** A keyframe that starts a fragment: its bytes are the moof, the mdat header and the sample itself, one range. */
export interface FragmentKeyframe {
  /** Byte offset of the fragment's moof box in the segment file. */
  offset: number;
  /** From the moof to the last byte of the keyframe sample. */
  length: number;
  /** The fragment's decode time (tfdt), in the track's timescale. */
  decodeTime: number;
  /** The keyframe sample's own size, for I-frame bit rates. */
  sampleBytes: number;
}

// ISO/IEC 14496-12 sample_flags: sample_is_non_sync_sample.
const NON_SYNC = 0x00010000;

interface TrexDefaults {
  sampleSize: number;
  sampleFlags: number;
}

/** trex's default sample size and flags for the init's track (the fields readInit does not keep). */
export function readTrexDefaults(init: Buffer, trackId: number): TrexDefaults {
  const moov = child(init, "moov");
  const mvex = moov && child(moov, "mvex");
  for (const trex of mvex ? children(mvex, "trex") : []) {
    need(trex, 24, "trex");
    if (trex.readUInt32BE(4) === trackId) return { sampleSize: trex.readUInt32BE(16), sampleFlags: trex.readUInt32BE(20) };
  }
  return { sampleSize: 0, sampleFlags: 0 };
}

/**
 * Every fragment of `segment` whose first sample of the track is a sync
 * sample, with the byte range a player fetches to decode it alone. A
 * keyframe in the middle of a fragment has no such range (the moof comes
 * first and the samples before it lie between), so it is not listed:
 * ffmpeg's HLS muxer writes one fragment per segment, so there is one per
 * segment.
 */
export function readFragmentKeyframes(segment: Buffer, init: InitInfo, trex: TrexDefaults): FragmentKeyframe[] {
  const found: FragmentKeyframe[] = [];
  for (const box of boxes(segment)) {
    if (box.type !== "moof") continue;
    const moofStart = box.offset;
    for (const traf of children(box.body, "traf")) {
      const tfhd = child(traf, "tfhd");
      if (!tfhd) throw new BoxError("a track fragment has no tfhd");
      need(tfhd, 8, "tfhd");
      if (tfhd.readUInt32BE(4) !== init.trackId) continue;
      const tfhdFlags = versionAndFlags(tfhd).flags;
      let at = 8;
      let base = moofStart;
      if (tfhdFlags & 0x01) {
        need(tfhd, at + 8, "tfhd");
        base = Number(tfhd.readBigUInt64BE(at));
        at += 8;
      }
      if (tfhdFlags & 0x02) at += 4;
      if (tfhdFlags & 0x08) at += 4;
      let defaultSize = trex.sampleSize;
      if (tfhdFlags & 0x10) {
        need(tfhd, at + 4, "tfhd");
        defaultSize = tfhd.readUInt32BE(at);
        at += 4;
      }
      let defaultFlags = trex.sampleFlags;
      if (tfhdFlags & 0x20) {
        need(tfhd, at + 4, "tfhd");
        defaultFlags = tfhd.readUInt32BE(at);
      }
      const tfdt = child(traf, "tfdt");
      if (!tfdt) throw new BoxError("a track fragment has no tfdt (decode time)");
      const v1 = versionAndFlags(tfdt).version === 1;
      need(tfdt, v1 ? 12 : 8, "tfdt");
      const decodeTime = v1 ? Number(tfdt.readBigUInt64BE(4)) : tfdt.readUInt32BE(4);
      const trun = children(traf, "trun")[0];
      if (!trun) continue;
      const first = firstSample(trun, defaultSize, defaultFlags);
      if (!first || first.flags & NON_SYNC) continue;
      const end = base + first.dataOffset + first.size;
      if (first.dataOffset <= 0 || end > segment.length || end <= moofStart) throw new BoxError(`a keyframe at byte ${base + first.dataOffset} of ${first.size} bytes lies outside the segment`);
      found.push({ offset: moofStart, length: end - moofStart, decodeTime, sampleBytes: first.size });
    }
  }
  return found;
}

function firstSample(trun: Buffer, defaultSize: number, defaultFlags: number): { dataOffset: number; size: number; flags: number } | undefined {
  const { flags } = versionAndFlags(trun);
  need(trun, 8, "trun");
  if (trun.readUInt32BE(4) === 0) return undefined;
  // Without a data offset the samples follow a previous run: not the start of a fragment's data.
  if (!(flags & 0x001)) return undefined;
  let at = 8;
  need(trun, at + 4, "trun");
  const dataOffset = trun.readInt32BE(at);
  at += 4;
  let sampleFlags = defaultFlags;
  if (flags & 0x004) {
    need(trun, at + 4, "trun");
    sampleFlags = trun.readUInt32BE(at);
    at += 4;
  }
  if (flags & 0x100) at += 4;
  let size = defaultSize;
  if (flags & 0x200) {
    need(trun, at + 4, "trun");
    size = trun.readUInt32BE(at);
    at += 4;
  }
  if (flags & 0x400 && !(flags & 0x004)) {
    need(trun, at + 4, "trun");
    sampleFlags = trun.readUInt32BE(at);
  }
  if (size === 0) throw new BoxError("a sample has no size (none in trun, tfhd or trex)");
  return { dataOffset, size, flags: sampleFlags };
}
