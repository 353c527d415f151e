import { createReadStream } from "node:fs";
import { isServiceError, type GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import { rawKey, rawPrefix, type Storage } from "@kino/storage";
import { isDefinitiveCatalogAnswer } from "./catalog-errors.ts";
import type { ValidateSource } from "./source-validation.ts";
import type { StagingStore } from "./staging-store.ts";
import type { UploadRecords } from "./upload-records.ts";

/** How finishing an upload ended; only "unavailable" leaves the staged file for a retry. */
export type FinishOutcome =
  | { kind: "uploaded"; size: number }
  | { kind: "rejected"; reason: string }
  | { kind: "gone"; message: string }
  | { kind: "unavailable"; message: string };

/** Runs `work` while no other process of this host runs work under `key`. */
export type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export interface FinishUploadOptions {
  /**
   * Set where several processes share the staging directory (gateway
   * workers): a HEAD on one and the final PATCH on another must not finish
   * one upload twice. Within a process concurrent calls share one run anyway.
   */
  exclusive?: Exclusive;
  store: StagingStore;
  records: UploadRecords;
  storage: Storage;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  validateSource: ValidateSource;
  lifecycleTimeoutMs: number;
  logger: Logger;
}

export interface FinishedUpload {
  uploadId: string;
  videoId: string;
  size: number;
  expiresAt: number;
}

/**
 * Moves a completely received file on: ffprobe's verdict decides between
 * FAILED (reason recorded, bytes deleted) and storage + UPLOADED (the catalog
 * enqueues the transcode). Storage or catalog trouble leaves everything in
 * place, so repeating the final request finishes the job; concurrent calls
 * for one upload share one run.
 */
export function createUploadFinisher(options: FinishUploadOptions): (upload: FinishedUpload) => Promise<FinishOutcome> {
  const { store, records, storage, lifecycle, logger } = options;
  const callOptions = { timeoutMs: options.lifecycleTimeoutMs };
  const running = new Map<string, Promise<FinishOutcome>>();

  const discard = async (upload: FinishedUpload) => {
    await store.remove(upload.uploadId).catch((error: unknown) => logger.warn({ err: error, videoId: upload.videoId }, "staged upload not removed"));
  };

  const reject = async (upload: FinishedUpload, reason: string): Promise<FinishOutcome> => {
    try {
      await lifecycle.markFailed({ videoId: upload.videoId, reason }, callOptions);
    } catch (error) {
      if (!isDefinitiveCatalogAnswer(error)) {
        logger.warn({ err: error, videoId: upload.videoId }, "catalog unavailable while rejecting an upload");
        return { kind: "unavailable", message: "the catalog is unavailable; repeat the request to finish the upload" };
      }
    }
    await records.replace(upload.videoId, { state: "rejected", uploadId: upload.uploadId, expiresAt: upload.expiresAt, reason });
    await discard(upload);
    logger.info({ videoId: upload.videoId, reason }, "upload rejected");
    return { kind: "rejected", reason };
  };

  const run = async (upload: FinishedUpload): Promise<FinishOutcome> => {
    const path = store.pathOf(upload.uploadId);
    let verdict;
    try {
      verdict = await options.validateSource(path);
    } catch (error) {
      logger.error({ err: error, videoId: upload.videoId }, "upload could not be inspected");
      return { kind: "unavailable", message: "the file could not be inspected; repeat the request to finish the upload" };
    }
    if (!verdict.ok) return reject(upload, verdict.reason);

    const sourceKey = rawKey(upload.videoId, "source");
    try {
      await storage.put(sourceKey, createReadStream(path));
    } catch (error) {
      logger.warn({ err: error, videoId: upload.videoId }, "storage unavailable while finishing an upload");
      return { kind: "unavailable", message: "storage is unavailable; repeat the request to finish the upload" };
    }
    try {
      await lifecycle.markUploaded({ videoId: upload.videoId, sourceKey, source: verdict.source }, callOptions);
    } catch (error) {
      if (!isDefinitiveCatalogAnswer(error)) {
        logger.warn({ err: error, videoId: upload.videoId }, "catalog unavailable while finishing an upload");
        return { kind: "unavailable", message: "the catalog is unavailable; repeat the request to finish the upload" };
      }
      // Deleted or failed meanwhile: nothing will ever read these bytes.
      await storage.deleteByPrefix(rawPrefix(upload.videoId)).catch((cause: unknown) => logger.warn({ err: cause }, "raw source not removed"));
      await records.replace(upload.videoId, { state: "rejected", uploadId: upload.uploadId, expiresAt: upload.expiresAt, reason: "the video no longer accepts an upload" });
      await discard(upload);
      return { kind: "gone", message: `the video no longer accepts an upload: ${isServiceError(error) ? error.details : String(error)}` };
    }
    await records.replace(upload.videoId, { state: "finished", uploadId: upload.uploadId, expiresAt: upload.expiresAt, size: upload.size });
    await discard(upload);
    logger.info({ videoId: upload.videoId, size: upload.size }, "upload finished");
    return { kind: "uploaded", size: upload.size };
  };

  /** After waiting for another process's run: how that run ended, as the record tells. */
  const runOnce = async (upload: FinishedUpload): Promise<FinishOutcome> => {
    const record = await records.get(upload.videoId);
    if (record?.uploadId !== upload.uploadId) return { kind: "gone", message: "the upload was terminated" };
    if (record.state === "finished") return { kind: "uploaded", size: record.size };
    if (record.state === "rejected") return { kind: "rejected", reason: record.reason };
    return run(upload);
  };
  const exclusive = options.exclusive;

  return (upload) => {
    const pending = running.get(upload.uploadId);
    if (pending) return pending;
    const started = (exclusive ? exclusive(`finish:${upload.uploadId}`, () => runOnce(upload)) : run(upload)).finally(() => running.delete(upload.uploadId));
    running.set(upload.uploadId, started);
    return started;
  };
}
