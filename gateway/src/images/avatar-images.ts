import { openImageUpload, type ImageFormat } from "./image-upload.ts";

/** The sizes an avatar is served in (square, pixels); each is made once, at upload. */
export const avatarSizes = [256, 64] as const;
export type AvatarSize = (typeof avatarSizes)[number];

// What a browser or phone camera produces.
const avatarFormats: readonly ImageFormat[] = ["jpeg", "png", "webp", "gif", "avif", "heif"];

/** Re-encodes an uploaded image into Kino's avatar sizes: WebP, centre-cropped squares. */
export async function renderAvatars(upload: Buffer): Promise<Map<AvatarSize, Buffer>> {
  const image = await openImageUpload(upload, avatarFormats);
  const rendered = new Map<AvatarSize, Buffer>();
  for (const size of avatarSizes) {
    rendered.set(size, await image.render((decoded) => decoded.resize(size, size, { fit: "cover", position: "attention" }).webp({ quality: 82 })));
  }
  return rendered;
}
