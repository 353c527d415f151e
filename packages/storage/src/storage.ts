import type { Readable } from "node:stream";

/** What a driver knows of one stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Opaque, changes whenever the content changes; quoted as in HTTP. */
  etag: string;
  lastModified: Date;
  contentType?: string;
}

export interface PutOptions {
  contentType?: string;
}

/** Inclusive byte range, as in HTTP's Range header; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetOptions {
  range?: ByteRange;
}

export interface GetResult {
  info: ObjectInfo;
  /** The bytes served: the whole object, or the range asked for. */
  body: Readable;
  /** Set when a range was asked for: the inclusive bounds actually served. */
  range?: { start: number; end: number };
}

/**
 * Object storage as Kino uses it. Every method validates its key (see
 * keys.ts) before touching the backend. Missing objects make `get` fail with
 * a StorageError of code "not_found"; `head` returns undefined instead.
 */
export interface Storage {
  readonly driver: "local" | "s3";
  /** Streams `body` into `key`, replacing any object there. Never buffers the whole body. */
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<ObjectInfo>;
  get(key: string, options?: GetOptions): Promise<GetResult>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix`, in key order. Items carry no
   * contentType (S3 listings do not report it); `head` gives it.
   */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deletes every object under `prefix`; returns how many were deleted. */
  deleteByPrefix(prefix: string): Promise<number>;
  /** Fails when the backend cannot be reached; for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
