import { requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { AnalyticsInternalService } from "@kino/proto/analytics/v1";
import type { EngagementService } from "@kino/proto/catalog/v1";

const callTimeoutMs = 2000;

/** Who watched these also watched: video ids, most co-viewers first (analytics' co-views over 30 days). */
export type CoViews = (videoIds: string[], limit: number) => Promise<string[]>;
/** The ids in a signed-in user's watch history, most recent first (the catalog's). */
export type WatchHistory = (userId: string, requestId: string, limit: number) => Promise<string[]>;

/**
 * Co-views from the analytics service. Without them related videos still
 * come from tags and categories, so a failure is logged and answered with
 * none rather than failing the call.
 */
export function analyticsCoViews(client: GrpcClient<typeof AnalyticsInternalService>, logger: Logger): CoViews {
  return async (videoIds, limit) => {
    try {
      const { videos } = await client.listCoViewedVideos({ videoIds, pageSize: limit }, { timeoutMs: callTimeoutMs });
      return videos.map((video) => video.videoId);
    } catch (error) {
      logger.warn({ err: error }, "co-views unavailable; related videos come from tags and categories alone");
      return [];
    }
  };
}

/**
 * A user's history, read from the catalog for that user (the catalog checks
 * the search service may ask on their behalf). Unreachable, it is empty:
 * the user gets trending videos instead of an error.
 */
export function catalogWatchHistory(client: GrpcClient<typeof EngagementService>, logger: Logger): WatchHistory {
  return async (userId, requestId, limit) => {
    try {
      const { entries } = await client.listWatchHistory(
        { pageSize: limit },
        { onBehalfOf: { userId }, headers: { [requestIdMetadataKey]: requestId }, timeoutMs: callTimeoutMs },
      );
      return entries.map((entry) => entry.videoId);
    } catch (error) {
      logger.warn({ err: error }, "watch history unavailable; recommending trending videos");
      return [];
    }
  };
}
