import sharp, { type Sharp } from "sharp";
import { KinoError } from "@kino/platform";
import { structureProblem } from "./image-structure.ts";

/** Formats an upload may be in, as sharp names them; SVG never (it is script). */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "avif" | "heif";

const formatNames: Record<ImageFormat, string> = { jpeg: "JPEG", png: "PNG", webp: "WebP", gif: "GIF", avif: "AVIF", heif: "HEIC" };
// Decoding is bounded by pixels, not bytes: a tiny PNG can claim 100k × 100k.
const maxInputPixels = 40_000_000;

const list = (formats: readonly ImageFormat[]) => formats.map((format) => formatNames[format]).join(", ");

/**
 * An uploaded image, its type sniffed from the bytes (never a header or a
 * name) and its structure checked whole: a file whose format is not in
 * `accepted`, one with bytes past its end (a polyglot) or one that does
 * not decode cleanly is refused with KinoError "invalid_argument" saying why.
 * Its `render` re-encodes it, so no uploaded byte is ever stored or served.
 */
export async function openImageUpload(upload: Buffer, accepted: readonly ImageFormat[]): Promise<ImageUpload> {
  let format: string | undefined;
  try {
    ({ format } = await sharp(upload, { limitInputPixels: maxInputPixels }).metadata());
  } catch {
    throw new KinoError("invalid_argument", `the file is not an image Kino reads (${list(accepted)})`);
  }
  if (!format || !(accepted as readonly string[]).includes(format)) {
    throw new KinoError("invalid_argument", `${format ?? "this"} images are not accepted: send ${list(accepted)}`);
  }
  const problem = structureProblem(format, upload);
  if (problem) throw new KinoError("invalid_argument", `the ${formatNames[format as ImageFormat]} file is refused: ${problem}`);
  return new ImageUpload(upload);
}

export class ImageUpload {
  constructor(private readonly bytes: Buffer) {}

  /**
   * Kino's own encoding of the image: EXIF orientation applied, metadata
   * dropped, the first frame of an animation; `shape` resizes and picks the
   * output format. Any decoding error (damage anywhere in the file) refuses it.
   */
  async render(shape: (image: Sharp) => Sharp): Promise<Buffer> {
    try {
      return await shape(sharp(this.bytes, { limitInputPixels: maxInputPixels, failOn: "error", animated: false }).rotate()).toBuffer();
    } catch (error) {
      throw new KinoError("invalid_argument", "the image could not be decoded: it is damaged or too large", { cause: error });
    }
  }
}
