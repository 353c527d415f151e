import sharp from "sharp";
import { KinoError } from "@kino/platform";

/** The sizes an avatar is served in (square, pixels); each is made once, at upload. */
export const avatarSizes = [256, 64] as const;
export type AvatarSize = (typeof avatarSizes)[number];

// What a browser or phone camera produces; anything else (SVG above all: it is script) is refused.
const acceptedFormats = new Set(["jpeg", "png", "webp", "gif", "avif", "heif"]);
// Decoding is bounded by pixels, not bytes: a tiny PNG can claim 100k × 100k.
const maxInputPixels = 40_000_000;

/**
 * Re-encodes an uploaded image into Kino's avatar sizes (WebP, centre-cropped
 * squares, metadata dropped), so no uploaded byte is ever served. The type is
 * sniffed from the bytes, never taken from a header or name.
 */
export async function renderAvatars(upload: Buffer): Promise<Map<AvatarSize, Buffer>> {
  let format: string | undefined;
  try {
    ({ format } = await sharp(upload, { limitInputPixels: maxInputPixels }).metadata());
  } catch {
    throw new KinoError("invalid_argument", "the file is not an image Kino reads (JPEG, PNG, WebP, GIF, AVIF or HEIC)");
  }
  if (!format || !acceptedFormats.has(format)) {
    throw new KinoError("invalid_argument", `${format ?? "this"} images are not accepted: send JPEG, PNG, WebP, GIF, AVIF or HEIC`);
  }
  const rendered = new Map<AvatarSize, Buffer>();
  try {
    for (const size of avatarSizes) {
      const image = sharp(upload, { limitInputPixels: maxInputPixels, failOn: "error", animated: false })
        .rotate() // honour EXIF orientation before the metadata goes
        .resize(size, size, { fit: "cover", position: "attention" })
        .webp({ quality: 82 });
      rendered.set(size, await image.toBuffer());
    }
  } catch (error) {
    throw new KinoError("invalid_argument", "the image could not be decoded: it is damaged or too large", { cause: error });
  }
  return rendered;
}
