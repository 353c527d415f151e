import { createHash } from "node:crypto";
import { mkdir, truncate } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { Readable } from "node:stream";
import { FileStore } from "@tus/file-store";
import { hashing, type ExpectedChecksum } from "./checksum.ts";

/** What tus answers when a chunk's bytes do not match its Upload-Checksum. */
export const CHECKSUM_MISMATCH = { status_code: 460, body: "Upload-Checksum mismatch: the chunk was discarded, send it again\n" };

/**
 * Uploads staged as plain files on this host (creation, creation-with-upload,
 * termination), plus the checksum extension @tus/server 2.x leaves out: a
 * chunk whose digest differs from the request's Upload-Checksum is cut off
 * again, so the offset stays where the client last succeeded.
 */
export class StagingStore extends FileStore {
  readonly #checksumOfRequest: () => ExpectedChecksum | undefined;

  /** `checksumOfRequest` names the digest the request being served announced, if any. */
  constructor(directory: string, checksumOfRequest: () => ExpectedChecksum | undefined) {
    super({ directory });
    this.#checksumOfRequest = checksumOfRequest;
    // Expiry follows each upload URL rather than a fixed period, so the route enforces it.
    this.extensions = ["creation", "creation-with-upload", "creation-defer-length", "termination", "expiration", "checksum"];
  }

  async ensureDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
  }

  /** Ids of every upload staged here, finished or not. */
  async stagedUploadIds(): Promise<string[]> {
    return (await this.configstore.list?.()) ?? [];
  }

  pathOf(uploadId: string): string {
    return join(this.directory, uploadId);
  }

  override async write(readable: IncomingMessage | Readable, uploadId: string, offset: number): Promise<number> {
    const expected = this.#checksumOfRequest();
    if (!expected) return super.write(readable, uploadId, offset);
    const hash = createHash(expected.algorithm);
    const newOffset = await super.write(Readable.from(hashing(readable, hash)), uploadId, offset);
    if (hash.digest().equals(expected.digest)) return newOffset;
    await truncate(this.pathOf(uploadId), offset);
    throw CHECKSUM_MISMATCH;
  }
}
