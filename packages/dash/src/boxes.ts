/**
 * Just enough ISO BMFF to time CMAF segments: walking boxes and reading the
 * few fields a manifest needs. Sizes are checked against the buffer, so a
 * truncated or hostile file fails with a reason instead of reading past it.
 */
export interface Box {
  type: string;
  /** The box's payload, header excluded. */
  body: Buffer;
  /** Where the box (its header) starts in the buffer walked. */
  offset: number;
}

export class BoxError extends Error {
  override readonly name = "BoxError";
}

export function* boxes(data: Buffer): Generator<Box> {
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > data.length) throw new BoxError(`box ${type} is cut short`);
      const large = data.readBigUInt64BE(offset + 8);
      if (large > BigInt(data.length)) throw new BoxError(`box ${type} claims ${large} bytes`);
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = data.length - offset;
    }
    if (size < header || offset + size > data.length) throw new BoxError(`box ${type} at byte ${offset} claims ${size} bytes, ${data.length - offset} are left`);
    yield { type, body: data.subarray(offset + header, offset + size), offset };
    offset += size;
  }
}

export function child(box: Buffer, type: string): Buffer | undefined {
  for (const b of boxes(box)) if (b.type === type) return b.body;
  return undefined;
}

export function children(box: Buffer, type: string): Buffer[] {
  return [...boxes(box)].filter((b) => b.type === type).map((b) => b.body);
}

/** Full boxes start with a version byte and 24 bits of flags. */
export function versionAndFlags(body: Buffer): { version: number; flags: number } {
  if (body.length < 4) throw new BoxError("full box is cut short");
  return { version: body[0]!, flags: body.readUInt32BE(0) & 0xffffff };
}

export function need(body: Buffer, bytes: number, what: string): void {
  if (body.length < bytes) throw new BoxError(`${what} is cut short`);
}
