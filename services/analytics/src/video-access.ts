import { isServiceError, kinoErrorFromGrpc, requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { CatalogService } from "@kino/proto/catalog/v1";

/** Who is asking, from the assertion the gateway signed; analytics signs its own for the catalog. */
export interface Caller {
  callerId: string;
  requestId: string;
  signal: AbortSignal;
}

/**
 * Decides which videos' analytics a caller may read: only their own, as
 * the catalog records ownership. Analytics holds no ownership data itself.
 */
export interface VideoAccess {
  /** Resolves when the caller owns the video; NotFound for videos they cannot see, PermissionDenied for others' public ones. */
  requireOwnVideo(videoId: string, caller: Caller): Promise<void>;
  /** Ids of every video the caller owns (deleted ones excluded). */
  ownVideoIds(caller: Caller): Promise<string[]>;
}

export interface CatalogVideoAccessOptions {
  /** Signed with analytics' own identity: the catalog answers it for the caller named in each call. */
  catalog: GrpcClient<typeof CatalogService>;
  /** Deadline of each catalog call. */
  timeoutMs: number;
  /**
   * Upper bound on the ids an owner-wide query is restricted to; the ids
   * become one SQL literal list, which must stay well under ClickHouse's
   * max_query_size.
   */
  maxOwnedVideos: number;
  /** Videos per ListVideos page; the catalog's maximum by default. */
  pageSize?: number;
}

function fromCatalog(error: unknown): unknown {
  if (!isServiceError(error)) return error;
  const kino = kinoErrorFromGrpc(error);
  return kino.code === "unavailable" || kino.code === "deadline_exceeded"
    ? new KinoError("unavailable", `catalog unavailable: ${kino.message}`, { cause: error })
    : kino;
}

export function catalogVideoAccess(options: CatalogVideoAccessOptions): VideoAccess {
  const { catalog, timeoutMs, maxOwnedVideos, pageSize = 100 } = options;
  const callOptions = (caller: Caller) => ({
    headers: { [requestIdMetadataKey]: caller.requestId },
    onBehalfOf: { userId: caller.callerId },
    timeoutMs,
    signal: caller.signal,
  });

  return {
    async requireOwnVideo(videoId, caller) {
      // The catalog answers NotFound for videos this caller may not see at all.
      const { video } = await catalog.getVideo({ id: videoId }, callOptions(caller)).catch((error: unknown) => {
        throw fromCatalog(error);
      });
      if (video?.ownerId !== caller.callerId) {
        throw new KinoError("permission_denied", `analytics of video ${videoId} are visible to its owner only`);
      }
    },

    async ownVideoIds(caller) {
      const ids: string[] = [];
      let pageToken = "";
      do {
        const page = await catalog
          .listVideos({ ownerId: caller.callerId, pageSize, pageToken }, callOptions(caller))
          .catch((error: unknown) => {
            throw fromCatalog(error);
          });
        for (const video of page.videos) ids.push(video.id);
        if (ids.length > maxOwnedVideos) {
          throw new KinoError(
            "failed_precondition",
            `owner-wide analytics cover at most ${maxOwnedVideos} videos; ask per video instead`,
          );
        }
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return ids;
    },
  };
}
