import { BoxError, boxes, child, children, need, versionAndFlags } from "./boxes.ts";

export type TrackKind = "video" | "audio";

export interface InitInfo {
  trackId: number;
  kind: TrackKind;
  timescale: number;
  /** trex's default_sample_duration: used when a fragment states none. */
  defaultSampleDuration: number;
}

/** One segment on the track's timeline, in its timescale. */
export interface SegmentTime {
  start: number;
  duration: number;
}

/** The single track of a CMAF initialisation segment (ftyp + moov with mvex). */
export function readInit(init: Buffer): InitInfo {
  const moov = child(init, "moov");
  if (!moov) throw new BoxError("the initialisation segment has no moov box");
  const traks = children(moov, "trak");
  if (traks.length !== 1) throw new BoxError(`a CMAF track file holds one track, this one ${traks.length}`);
  const trak = traks[0]!;
  const tkhd = child(trak, "tkhd");
  const mdia = child(trak, "mdia");
  const mdhd = mdia && child(mdia, "mdhd");
  const hdlr = mdia && child(mdia, "hdlr");
  if (!tkhd || !mdhd || !hdlr) throw new BoxError("the track lacks tkhd, mdhd or hdlr");
  const tkhdV1 = versionAndFlags(tkhd).version === 1;
  need(tkhd, tkhdV1 ? 24 : 16, "tkhd");
  const trackId = tkhd.readUInt32BE(tkhdV1 ? 20 : 12);
  const mdhdV1 = versionAndFlags(mdhd).version === 1;
  need(mdhd, mdhdV1 ? 24 : 16, "mdhd");
  const timescale = mdhd.readUInt32BE(mdhdV1 ? 20 : 12);
  need(hdlr, 12, "hdlr");
  const handler = hdlr.toString("latin1", 8, 12);
  if (handler !== "vide" && handler !== "soun") throw new BoxError(`track handler "${handler}" is neither video nor audio`);
  if (timescale === 0) throw new BoxError("the track's timescale is 0");
  let defaultSampleDuration = 0;
  const mvex = child(moov, "mvex");
  for (const trex of mvex ? children(mvex, "trex") : []) {
    need(trex, 16, "trex");
    if (trex.readUInt32BE(4) === trackId) defaultSampleDuration = trex.readUInt32BE(12);
  }
  return { trackId, kind: handler === "vide" ? "video" : "audio", timescale, defaultSampleDuration };
}

/**
 * Where one media segment sits on the track's timeline: the first
 * fragment's decode time (tfdt) and the sum of every sample's duration
 * over all its fragments (a segment may hold several moof/mdat pairs).
 */
export function readSegmentTime(segment: Buffer, init: InitInfo): SegmentTime {
  let start: number | undefined;
  let duration = 0;
  for (const box of boxes(segment)) {
    if (box.type !== "moof") continue;
    for (const traf of children(box.body, "traf")) {
      const tfhd = child(traf, "tfhd");
      if (!tfhd) throw new BoxError("a track fragment has no tfhd");
      need(tfhd, 8, "tfhd");
      if (tfhd.readUInt32BE(4) !== init.trackId) continue;
      const tfhdFlags = versionAndFlags(tfhd).flags;
      let at = 8;
      if (tfhdFlags & 0x01) at += 8;
      if (tfhdFlags & 0x02) at += 4;
      let defaultDuration = init.defaultSampleDuration;
      if (tfhdFlags & 0x08) {
        need(tfhd, at + 4, "tfhd");
        defaultDuration = tfhd.readUInt32BE(at);
      }
      const tfdt = child(traf, "tfdt");
      if (start === undefined) {
        if (!tfdt) throw new BoxError("the first fragment has no tfdt (decode time)");
        const v1 = versionAndFlags(tfdt).version === 1;
        need(tfdt, v1 ? 12 : 8, "tfdt");
        start = v1 ? Number(tfdt.readBigUInt64BE(4)) : tfdt.readUInt32BE(4);
      }
      for (const trun of children(traf, "trun")) duration += trunDuration(trun, defaultDuration);
    }
  }
  if (start === undefined) throw new BoxError("the segment has no fragment of its track");
  return { start, duration };
}

function trunDuration(trun: Buffer, defaultDuration: number): number {
  const { flags } = versionAndFlags(trun);
  need(trun, 8, "trun");
  const count = trun.readUInt32BE(4);
  let at = 8;
  if (flags & 0x001) at += 4;
  if (flags & 0x004) at += 4;
  if (!(flags & 0x100)) {
    if (defaultDuration === 0 && count > 0) throw new BoxError("samples have no duration (none in trun, tfhd or trex)");
    return count * defaultDuration;
  }
  const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length;
  need(trun, at + count * stride, "trun");
  let sum = 0;
  for (let i = 0; i < count; i++) sum += trun.readUInt32BE(at + i * stride);
  return sum;
}
