import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { silentLogger, type Logger } from "@kino/platform";
import { StorageError } from "./errors.ts";
import { validateKey, validatePrefix } from "./keys.ts";
import { checkRange, rangeHeader } from "./range.ts";
import { describeS3Error, fromS3Error } from "./s3-errors.ts";
import type { GetOptions, GetResult, ObjectInfo, PutOptions, Storage } from "./storage.ts";

export interface S3StorageOptions {
  bucket: string;
  /** For S3-compatible servers (MinIO, s3rver); AWS when absent. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` URLs instead of `bucket.endpoint/key`; most S3-compatible servers want it. */
  forcePathStyle: boolean;
  /**
   * Multipart part size, default 8 MiB, minimum 5 MiB; S3 allows 10,000
   * parts, so this also caps the object size (78 GiB at 8 MiB). A put holds
   * about (uploadConcurrency + 2) parts in memory: those in flight, plus the
   * one being cut from the stream, which lib-storage copies once.
   */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per put. Default 2. */
  uploadConcurrency?: number;
  /** Keys per ListObjectsV2 page and per DeleteObjects batch, at most 1000 (the default). */
  listPageSize?: number;
  logger?: Logger;
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";
const MIN_PART_SIZE = 5 * 1024 * 1024;

function parseContentRange(header: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

interface ObjectHeaders {
  ETag?: string;
  LastModified?: Date;
  ContentType?: string;
}

function infoFromHeaders(key: string, head: ObjectHeaders, size: number): ObjectInfo {
  return {
    key,
    size,
    etag: head.ETag ?? "",
    lastModified: head.LastModified ?? new Date(0),
    contentType: head.ContentType,
  };
}

/** Objects in one S3 bucket, streamed both ways. */
export function createS3Storage(options: S3StorageOptions): Storage {
  const { bucket } = options;
  const logger = options.logger ?? silentLogger();
  const partSize = Math.max(options.partSizeBytes ?? 8 * 1024 * 1024, MIN_PART_SIZE);
  const queueSize = Math.max(options.uploadConcurrency ?? 2, 1);
  const pageSize = Math.min(Math.max(options.listPageSize ?? 1000, 1), 1000);
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where S3 demands them: S3-compatible servers often reject the newer flexible ones.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  async function headObject(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return infoFromHeaders(key, head, head.ContentLength ?? 0);
    } catch (error) {
      const failure = fromS3Error("inspect", key, error);
      if (failure.code === "not_found") return undefined;
      throw failure;
    }
  }

  async function put(key: string, body: Readable | Uint8Array, putOptions?: PutOptions): Promise<ObjectInfo> {
    validateKey(key);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: putOptions?.contentType ?? DEFAULT_CONTENT_TYPE },
      partSize,
      queueSize,
      // A failed multipart upload is aborted, so the key keeps its previous object and no parts linger.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // As stream.pipeline would: the caller's stream is not left paused half-read.
      if (body instanceof Readable) body.destroy();
      throw fromS3Error("store", key, error);
    }
    const info = await headObject(key);
    if (!info) throw new StorageError("unavailable", `object ${key} vanished right after it was stored`);
    return info;
  }

  async function get(key: string, getOptions?: GetOptions): Promise<GetResult> {
    validateKey(key);
    const requested = getOptions?.range;
    if (requested) checkRange(key, requested);
    let response;
    try {
      response = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: requested ? rangeHeader(requested) : undefined }),
      );
    } catch (error) {
      throw fromS3Error("read", key, error);
    }
    if (!(response.Body instanceof Readable)) {
      throw new StorageError("unavailable", `S3 returned no readable body for ${key}`);
    }
    const served = requested ? parseContentRange(response.ContentRange) : undefined;
    if (requested && !served) {
      response.Body.destroy();
      throw new StorageError("unavailable", `S3 ignored the range asked for ${key}`);
    }
    const info = infoFromHeaders(key, response, served?.size ?? response.ContentLength ?? 0);
    return served ? { info, body: response.Body, range: { start: served.start, end: served.end } } : { info, body: response.Body };
  }

  async function head(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    return headObject(key);
  }

  async function remove(key: string): Promise<void> {
    validateKey(key);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      const failure = fromS3Error("delete", key, error);
      if (failure.code !== "not_found") throw failure;
    }
  }

  async function deleteBatch(what: string, keys: string[]): Promise<void> {
    let result;
    try {
      result = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
    } catch (error) {
      throw fromS3Error("delete", what, error);
    }
    const failed = result.Errors?.[0];
    if (failed) {
      throw new StorageError("unavailable", `cannot delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
    }
  }

  /** Pages of at most pageSize (≤ 1000) objects, in key order. */
  async function* listPages(prefix: string): AsyncGenerator<ObjectInfo[]> {
    validatePrefix(prefix);
    try {
      for await (const page of paginateListObjectsV2({ client, pageSize }, { Bucket: bucket, Prefix: prefix })) {
        const objects: ObjectInfo[] = [];
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          objects.push({
            key: object.Key,
            size: object.Size ?? 0,
            etag: object.ETag ?? "",
            lastModified: object.LastModified ?? new Date(0),
          });
        }
        yield objects;
      }
    } catch (error) {
      throw fromS3Error("list", prefix, error);
    }
  }

  async function* list(prefix: string): AsyncGenerator<ObjectInfo> {
    for await (const page of listPages(prefix)) yield* page;
  }

  async function deleteByPrefix(prefix: string): Promise<number> {
    let deleted = 0;
    // One DeleteObjects per listed page: a page never exceeds its 1000-key limit. Listing
    // resumes after the last key seen, so deleting behind the cursor skips nothing.
    for await (const page of listPages(prefix)) {
      if (page.length === 0) continue;
      await deleteBatch(prefix, page.map((object) => object.key));
      deleted += page.length;
    }
    logger.debug({ bucket, prefix, deleted }, "deleted objects by prefix");
    return deleted;
  }

  async function ping(): Promise<void> {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // A missing bucket is a broken deployment, not a missing object.
      throw new StorageError("unavailable", `cannot reach bucket ${bucket}: ${describeS3Error(error)}`, { cause: error });
    }
  }

  return {
    driver: "s3",
    put,
    get,
    head,
    delete: remove,
    list,
    deleteByPrefix,
    ping,
    close: async () => client.destroy(),
  };
}
