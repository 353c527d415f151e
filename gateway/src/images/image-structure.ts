/**
 * Whether a file ends where its own format says it ends. A decoder reads a
 * PNG up to IEND and ignores the rest, so a PNG with a ZIP or an HTML page
 * appended (a polyglot) decodes fine; Kino refuses such files rather than
 * keep bytes that mean something else to another program.
 * Returns a reason when the structure is wrong, undefined when it is whole.
 */
export function structureProblem(format: string, bytes: Buffer): string | undefined {
  switch (format) {
    case "png":
      return pngProblem(bytes);
    case "jpeg":
      return jpegProblem(bytes);
    case "webp":
      return riffProblem(bytes);
    case "gif":
      return bytes[bytes.length - 1] === 0x3b ? undefined : "the GIF does not end with its trailer";
    case "heif":
    case "avif":
      return boxesProblem(bytes);
    default:
      return `no structure check for ${format}`;
  }
}

const TRAILING = "bytes follow the end of the image (another file appended to it?)";

function pngProblem(bytes: Buffer): string | undefined {
  let at = 8; // signature
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    at += 12 + length;
    if (type === "IEND") return at === bytes.length ? undefined : TRAILING;
  }
  return "the PNG has no IEND chunk where its chunks say it should";
}

/** Marker segments up to the scan, entropy-coded data to EOI; after EOI only further JPEG streams (a phone's MPF pictures) may follow. */
function jpegProblem(bytes: Buffer): string | undefined {
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff || bytes[at + 1] !== 0xd8) return at === 0 ? "not a JPEG stream" : TRAILING;
    const end = jpegStreamEnd(bytes, at + 2);
    if (end === undefined) return "the JPEG has no end-of-image marker";
    at = end;
  }
  return undefined;
}

function jpegStreamEnd(bytes: Buffer, from: number): number | undefined {
  let at = from;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) return at + 2;
    // Stuffed 0xFF00, fill bytes and restart markers sit inside scan data; they carry no length.
    if (marker === 0x00 || marker === 0xff || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    if (at + 3 >= bytes.length) return undefined;
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return undefined;
}

function riffProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 12 || bytes.toString("latin1", 0, 4) !== "RIFF") return "not a RIFF file";
  const size = bytes.readUInt32LE(4) + 8;
  return size === bytes.length ? undefined : size < bytes.length ? TRAILING : "the WebP is shorter than its header says";
}

/** ISO BMFF: top-level boxes must tile the file exactly. */
function boxesProblem(bytes: Buffer): string | undefined {
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return TRAILING;
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) return TRAILING;
    if (size === 1) {
      if (at + 16 > bytes.length) return TRAILING;
      size = Number(bytes.readBigUInt64BE(at + 8));
    } else if (size === 0) {
      size = bytes.length - at;
    }
    if (size < 8 || at + size > bytes.length) return TRAILING;
    at += size;
  }
  return undefined;
}
