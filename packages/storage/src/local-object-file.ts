import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { StorageError } from "./errors.ts";

/**
 * The local driver keeps each object in one file: its bytes, then a metadata
 * trailer. A single rename therefore publishes bytes and metadata together,
 * which a sidecar file could not do.
 *
 * Layout: <bytes> <metadata JSON> <JSON length, uint32 BE> "KINOOBJ1"
 */
const MAGIC = Buffer.from("KINOOBJ1", "latin1");
const FOOTER_SIZE = 4 + MAGIC.length;
const MAX_METADATA_SIZE = 64 * 1024;

export interface ObjectMetadata {
  /** Quoted MD5 of the bytes, as S3 gives for single-part objects. */
  etag: string;
  contentType: string;
}

export interface WrittenObject {
  size: number;
  etag: string;
}

/**
 * Pipeline stage that passes the object's bytes through, hashing and
 * counting them, then appends the trailer; `done` receives the totals.
 */
export function appendTrailer(contentType: string, done: (written: WrittenObject) => void) {
  return async function* (source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
    const hash = createHash("md5");
    let size = 0;
    for await (const chunk of source) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (!(bytes instanceof Uint8Array)) throw new TypeError("object body must yield bytes or strings");
      hash.update(bytes);
      size += bytes.length;
      yield bytes;
    }
    const etag = `"${hash.digest("hex")}"`;
    const json = Buffer.from(JSON.stringify({ etag, contentType } satisfies ObjectMetadata));
    const footer = Buffer.alloc(FOOTER_SIZE);
    footer.writeUInt32BE(json.length, 0);
    MAGIC.copy(footer, 4);
    yield Buffer.concat([json, footer]);
    done({ size, etag });
  };
}

export interface OpenedObject {
  /** Open for reading; the caller closes it (or hands it to a stream that does). */
  handle: FileHandle;
  /** Bytes of the object, trailer excluded. */
  size: number;
  metadata: ObjectMetadata;
  lastModified: Date;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP";
}

/**
 * Opens the object stored at `path`, or returns undefined when there is none.
 * A symlink in the object's place is not followed: it could point outside the root.
 */
export async function openObjectFile(key: string, path: string): Promise<OpenedObject | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return undefined;
    }
    const metadata = await readTrailer(key, handle, stat.size);
    return { handle, size: metadata.dataSize, metadata: metadata.metadata, lastModified: stat.mtime };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readTrailer(key: string, handle: FileHandle, fileSize: number): Promise<{ metadata: ObjectMetadata; dataSize: number }> {
  const corrupt = (why: string) => new StorageError("unavailable", `stored file of ${key} is corrupt: ${why}`);
  if (fileSize < FOOTER_SIZE) throw corrupt("shorter than its trailer");
  const footer = Buffer.alloc(FOOTER_SIZE);
  await handle.read(footer, 0, FOOTER_SIZE, fileSize - FOOTER_SIZE);
  if (!footer.subarray(4).equals(MAGIC)) throw corrupt("no trailer");
  const jsonSize = footer.readUInt32BE(0);
  if (jsonSize > MAX_METADATA_SIZE || jsonSize > fileSize - FOOTER_SIZE) throw corrupt("bad trailer length");
  const dataSize = fileSize - FOOTER_SIZE - jsonSize;
  const json = Buffer.alloc(jsonSize);
  await handle.read(json, 0, jsonSize, dataSize);
  let metadata: ObjectMetadata;
  try {
    metadata = JSON.parse(json.toString("utf8")) as ObjectMetadata;
  } catch (cause) {
    throw new StorageError("unavailable", `stored file of ${key} is corrupt: unreadable trailer`, { cause });
  }
  if (typeof metadata.etag !== "string" || typeof metadata.contentType !== "string") throw corrupt("incomplete trailer");
  return { metadata, dataSize };
}
