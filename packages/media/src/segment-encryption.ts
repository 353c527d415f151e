import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MEDIA_PLAYLIST_NAME } from "./read-back-track.ts";

/** The key's name at the root of an output: served by the origin (under a token), never stored. */
export const CONTENT_KEY_NAME = "content.key";
/** HLS METHOD=AES-128 keys and IVs are 16 bytes. */
const BLOCK_BYTES = 16;

const KEY_LINE = /^#EXT-X-KEY:/m;

function checkKey(key: Uint8Array): void {
  if (key.length !== BLOCK_BYTES) throw new RangeError(`an AES-128 content key is ${BLOCK_BYTES} bytes, got ${key.length}`);
}

/** Whole-segment AES-128-CBC with PKCS#7 padding: what HLS METHOD=AES-128 means (RFC 8216 §5.2). */
export function encryptSegment(key: Uint8Array, iv: Uint8Array, clear: Uint8Array): Buffer {
  checkKey(key);
  const cipher = createCipheriv("aes-128-cbc", key, iv);
  return Buffer.concat([cipher.update(clear), cipher.final()]);
}

export function decryptSegment(key: Uint8Array, iv: Uint8Array, encrypted: Uint8Array): Buffer {
  checkKey(key);
  const decipher = createDecipheriv("aes-128-cbc", key, iv);
  return Buffer.concat([decipher.update(encrypted), decipher.final()]);
}

/** The IV of each encrypted segment of a media playlist, by segment URI (from the EXT-X-KEY that applies to it). */
export function segmentIvs(playlist: string): Map<string, Buffer> {
  const ivs = new Map<string, Buffer>();
  let iv: Buffer | undefined;
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#EXT-X-KEY:")) {
      const hex = /(?:^|,)IV=0[xX]([0-9a-fA-F]{32})(?:,|$)/.exec(line.slice("#EXT-X-KEY:".length))?.[1];
      iv = /METHOD=NONE/.test(line) || !hex ? undefined : Buffer.from(hex, "hex");
    } else if (line && !line.startsWith("#") && iv) ivs.set(line, iv);
  }
  return ivs;
}

/**
 * Encrypts, in place, every media segment of the track in `<outDir>/<dir>/`
 * and writes an EXT-X-KEY before each one: METHOD=AES-128, a fresh random
 * IV per segment (so no two segments of the video, in any rung, share
 * one), and the key URI relative to the playlist, resolving to
 * `content.key` at the output's root, so a token in the playlist's URL
 * path is in the key's too. The first EXT-X-KEY comes after EXT-X-MAP, so
 * the init segment stays clear (RFC 8216 §4.3.2.4: a key applies to the
 * EXT-X-MAPs after it). A playlist that already has an EXT-X-KEY is left as
 * it is: a track is never encrypted twice.
 */
export async function encryptTrack(outDir: string, dir: string, key: Uint8Array): Promise<void> {
  checkKey(key);
  const playlistPath = join(outDir, dir, MEDIA_PLAYLIST_NAME);
  const text = await readFile(playlistPath, "utf8");
  if (KEY_LINE.test(text)) return;
  const keyUri = `${"../".repeat(dir.split("/").length)}${CONTENT_KEY_NAME}`;
  const lines = text.split("\n");
  const out: string[] = [];
  let pendingKeyLine: number | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#EXTINF:")) {
      // The key line's IV is filled in once the segment this EXTINF describes is known.
      pendingKeyLine = out.push("") - 1;
      out.push(line);
    } else if (trimmed && !trimmed.startsWith("#")) {
      if (pendingKeyLine === undefined) throw new Error(`segment ${trimmed} of ${playlistPath} has no #EXTINF`);
      if (!/^[A-Za-z0-9._-]+$/.test(trimmed)) throw new Error(`unexpected segment URI ${JSON.stringify(trimmed)} in ${playlistPath}`);
      const iv = randomBytes(BLOCK_BYTES);
      const segmentPath = join(outDir, dir, trimmed);
      await writeFile(segmentPath, encryptSegment(key, iv, await readFile(segmentPath)));
      out[pendingKeyLine] = `#EXT-X-KEY:METHOD=AES-128,URI="${keyUri}",IV=0x${iv.toString("hex")}`;
      pendingKeyLine = undefined;
      out.push(line);
    } else out.push(line);
  }
  // Written last: a playlist with keys means every segment it names is encrypted.
  await writeFile(playlistPath, out.join("\n"));
}
