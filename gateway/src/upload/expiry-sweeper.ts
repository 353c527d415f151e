import type { GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import { isDefinitiveCatalogAnswer } from "./catalog-errors.ts";
import type { StagingStore } from "./staging-store.ts";
import { parseUploadId } from "./upload-id.ts";
import type { UploadRecords } from "./upload-records.ts";

export const EXPIRED_REASON = "the upload was not finished before its upload URL expired";

export interface ExpirySweeperOptions {
  store: StagingStore;
  records: UploadRecords;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  lifecycleTimeoutMs: number;
  /** 0: no timer, sweep only when asked. */
  intervalMs: number;
  logger: Logger;
}

export interface ExpirySweeper {
  /** Returns how many unfinished uploads it expired. */
  sweep(now?: number): Promise<number>;
  stop(): void;
}

/**
 * The expiration extension with a deadline per upload (its URL's), which
 * @tus/file-store's fixed period cannot express: unfinished uploads past it
 * are deleted and their videos FAILED, and staged files no record vouches
 * for (a crash mid-step, a termination) are deleted too.
 */
export function createExpirySweeper(options: ExpirySweeperOptions): ExpirySweeper {
  const { store, records, logger } = options;
  const removeStaged = (uploadId: string) =>
    store.remove(uploadId).catch(() => {
      // Already gone: nothing to clear.
    });

  async function sweep(now = Date.now()): Promise<number> {
    let expired = 0;
    for (const { videoId, record } of await records.list()) {
      if (now < record.expiresAt) continue;
      if (record.state === "uploading") {
        try {
          await options.lifecycle.markFailed({ videoId, reason: EXPIRED_REASON }, { timeoutMs: options.lifecycleTimeoutMs });
        } catch (error) {
          if (!isDefinitiveCatalogAnswer(error)) {
            logger.warn({ err: error, videoId }, "expired upload kept until the catalog is back");
            continue;
          }
        }
        expired++;
      }
      await removeStaged(record.uploadId);
      await records.remove(videoId);
    }
    for (const uploadId of await store.stagedUploadIds()) {
      const parts = parseUploadId(uploadId);
      const record = parts ? await records.get(parts.videoId) : undefined;
      if (record?.state === "uploading" && record.uploadId === uploadId) continue;
      await removeStaged(uploadId);
    }
    return expired;
  }

  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          sweep().catch((error: unknown) => logger.error({ err: error }, "expired upload sweep failed"));
        }, options.intervalMs)
      : undefined;
  timer?.unref();

  return { sweep, stop: () => clearInterval(timer) };
}
