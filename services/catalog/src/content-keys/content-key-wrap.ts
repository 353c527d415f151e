import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KinoError } from "@kino/platform";
import type { MasterKeyRing } from "./master-keys.ts";

/** An HLS AES-128 key: 16 random bytes per video. */
export const CONTENT_KEY_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A content key as stored: which master key wrapped it, and iv ‖ ciphertext ‖ GCM tag. */
export interface WrappedContentKey {
  masterKeyId: string;
  wrapped: Buffer;
}

// Binds a wrapped key to its video and master key: a row copied onto another video does not unwrap.
function associatedData(videoId: string, masterKeyId: string): Buffer {
  return Buffer.from(`kino-content-key/v1/${videoId}/${masterKeyId}`, "utf8");
}

export function newContentKey(): Buffer {
  return randomBytes(CONTENT_KEY_BYTES);
}

export function wrapContentKey(ring: MasterKeyRing, videoId: string, clear: Buffer): WrappedContentKey {
  const { id, key } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(associatedData(videoId, id));
  const body = Buffer.concat([cipher.update(clear), cipher.final()]);
  return { masterKeyId: id, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) };
}

/** The clear key, or FAILED_PRECONDITION when its master key is not configured or the stored bytes do not authenticate. */
export function unwrapContentKey(ring: MasterKeyRing, videoId: string, stored: WrappedContentKey): Buffer {
  const master = ring.byId(stored.masterKeyId);
  if (!master) throw new KinoError("failed_precondition", `the key of video ${videoId} is wrapped under master key "${stored.masterKeyId}", which KINO_MEDIA_MASTER_KEY does not hold`);
  const { wrapped } = stored;
  if (wrapped.length !== IV_BYTES + CONTENT_KEY_BYTES + TAG_BYTES) throw new KinoError("failed_precondition", `the stored key of video ${videoId} is damaged`);
  const decipher = createDecipheriv("aes-256-gcm", master.key, wrapped.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData(videoId, stored.masterKeyId));
  decipher.setAuthTag(wrapped.subarray(IV_BYTES + CONTENT_KEY_BYTES));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + CONTENT_KEY_BYTES)), decipher.final()]);
  } catch {
    throw new KinoError("failed_precondition", `the stored key of video ${videoId} does not authenticate under master key "${stored.masterKeyId}"`);
  }
}
