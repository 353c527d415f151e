import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";

export const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
// How often the memory-sampling callbacks run; each sample costs a full GC.
const SAMPLE_EVERY = 4 * MiB;

/**
 * `size` random bytes produced chunk by chunk, never held whole; `sha256()` is
 * the digest of what was produced. `onSample` runs every few MiB handed out.
 */
export function randomByteStream(size: number, onSample?: () => void): { stream: Readable; sha256(): string } {
  const hash = createHash("sha256");
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < size; offset += CHUNK) {
      const chunk = randomBytes(Math.min(CHUNK, size - offset));
      hash.update(chunk);
      yield chunk;
      if (onSample && (offset + CHUNK) % SAMPLE_EVERY === 0) onSample();
    }
  }
  return { stream: Readable.from(chunks()), sha256: () => hash.digest("hex") };
}

/** Yields `size` bytes, then fails: a client that disconnects mid-upload. */
export function failingByteStream(size: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < size; offset += CHUNK) yield randomBytes(Math.min(CHUNK, size - offset));
    throw new Error("client went away");
  }
  return Readable.from(chunks());
}

/** Digest of a stream, consumed chunk by chunk; `onSample` runs every few MiB read. */
export async function sha256Of(stream: Readable, onSample?: () => void): Promise<string> {
  const hash = createHash("sha256");
  let sinceSample = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    sinceSample += bytes.length;
    if (onSample && sinceSample >= SAMPLE_EVERY) {
      sinceSample = 0;
      onSample();
    }
  }
  return hash.digest("hex");
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
