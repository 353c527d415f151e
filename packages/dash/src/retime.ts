import { BoxError, boxes, children, need, versionAndFlags } from "./boxes.ts";

/**
 * Moves a CMAF media segment along its track's timeline: every fragment's
 * decode time (tfdt) gains `ticks` (in the track's timescale) and its
 * sequence number (mfhd) gains `sequences`. A range of a video encoded on its
 * own starts at time 0 and fragment 1; shifted by where the range starts, its
 * segments continue the ones before it, so a player reads one timeline with
 * no discontinuity. Returns a copy; the input is left as it is.
 */
export function shiftSegment(segment: Buffer, ticks: number, sequences: number): Buffer {
  if (!Number.isSafeInteger(ticks) || ticks < 0) throw new RangeError(`ticks must be a non-negative integer, not ${ticks}`);
  if (!Number.isSafeInteger(sequences) || sequences < 0) throw new RangeError(`sequences must be a non-negative integer, not ${sequences}`);
  const out = Buffer.from(segment);
  let fragments = 0;
  for (const moof of boxes(out)) {
    if (moof.type !== "moof") continue;
    fragments++;
    for (const box of boxes(moof.body)) {
      if (box.type === "mfhd") {
        need(box.body, 8, "mfhd");
        box.body.writeUInt32BE(box.body.readUInt32BE(4) + sequences, 4);
      }
    }
    for (const traf of children(moof.body, "traf")) {
      const tfdt = [...boxes(traf)].find((b) => b.type === "tfdt");
      if (!tfdt) throw new BoxError("a track fragment has no tfdt (decode time)");
      const body = tfdt.body;
      if (versionAndFlags(body).version === 1) {
        need(body, 12, "tfdt");
        body.writeBigUInt64BE(body.readBigUInt64BE(4) + BigInt(ticks), 4);
      } else {
        need(body, 8, "tfdt");
        const shifted = body.readUInt32BE(4) + ticks;
        // A 32-bit decode time cannot grow without resizing every box around it.
        if (shifted > 0xffffffff) throw new BoxError("the shifted decode time does not fit a version 0 tfdt");
        body.writeUInt32BE(shifted, 4);
      }
    }
  }
  if (fragments === 0) throw new BoxError("the segment has no moof box");
  return out;
}
