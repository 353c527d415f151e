import { randomBytes } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** 20 random base-36 characters (~103 bits): unguessable, and safe inside storage keys and URLs. */
export function newVideoId(): string {
  const bytes = randomBytes(20);
  let id = "";
  // 252 is the largest multiple of 36 below 256: rejecting larger bytes keeps the draw uniform.
  for (let i = 0; id.length < 20; i++) {
    if (i === bytes.length) return id + newVideoId().slice(id.length);
    const byte = bytes[i]!;
    if (byte < 252) id += alphabet[byte % 36];
  }
  return id;
}
