import { randomBytes } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
const idPattern = /^[a-z0-9]{20}$/;

/** 20 random base-36 characters (~103 bits), the shape of every id this service hands out. */
export function newId(): string {
  let id = "";
  while (id.length < 20) {
    // 252 is the largest multiple of 36 below 256: rejecting larger bytes keeps the draw uniform.
    for (const byte of randomBytes(24)) if (byte < 252 && id.length < 20) id += alphabet[byte % 36];
  }
  return id;
}

/** An id of a shape this service never makes is not looked up. */
export function isId(value: string): boolean {
  return idPattern.test(value);
}
