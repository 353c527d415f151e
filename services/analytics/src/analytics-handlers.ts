import {
  getBreakdown,
  getQoe,
  getVideoSummary,
  getVideoTimeSeries,
  listTopVideos,
  type AnalyticsStore,
} from "@kino/analytics-store";
import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { AnalyticsService } from "@kino/proto/analytics/v1";
import {
  parseDimension,
  parseGranularity,
  parsePageSize,
  parseRange,
  parseSeriesRange,
  requireVideoId,
} from "./request-validation.ts";
import { breakdownRowMessage, pointMessage, qoeMessage, rankingMessage, totalsMessage } from "./response-messages.ts";
import { queryStore } from "./store-errors.ts";
import type { Caller, VideoAccess } from "./video-access.ts";

export interface AnalyticsHandlerOptions {
  store: AnalyticsStore;
  access: VideoAccess;
}

/** Every call reads someone's audience data, so anonymous callers get nothing. */
function requireCaller(context: CallContext): Caller {
  if (!context.callerId) throw new KinoError("unauthenticated", "analytics need an authenticated caller");
  return { callerId: context.callerId, requestId: context.requestId, signal: context.signal };
}

/**
 * Arguments are checked before ownership, ownership before ClickHouse is
 * asked: a caller learns nothing of videos that are not theirs.
 */
export function analyticsHandlers({ store, access }: AnalyticsHandlerOptions): ServiceHandlers<typeof AnalyticsService> {
  return {
    async getVideoSummary(request, context) {
      const caller = requireCaller(context);
      const videoId = requireVideoId(request.videoId);
      const range = parseRange(request.range);
      await access.requireOwnVideo(videoId, caller);
      const totals = await queryStore(() => getVideoSummary(store, { videoId, range }));
      return { videoId, totals: totalsMessage(totals) };
    },

    async getVideoTimeSeries(request, context) {
      const caller = requireCaller(context);
      const videoId = requireVideoId(request.videoId);
      const granularity = parseGranularity(request.granularity);
      const range = parseSeriesRange(request.range, granularity);
      await access.requireOwnVideo(videoId, caller);
      const points = await queryStore(() => getVideoTimeSeries(store, { videoId, range, granularity }));
      return { points: points.map(pointMessage) };
    },

    async listTopVideos(request, context) {
      const caller = requireCaller(context);
      const range = parseRange(request.range);
      const limit = parsePageSize(request.pageSize, 10);
      const videoIds = await access.ownVideoIds(caller);
      const videos = await queryStore(() => listTopVideos(store, { range, limit, videoIds }));
      return { videos: videos.map(rankingMessage) };
    },

    async getBreakdown(request, context) {
      const caller = requireCaller(context);
      const range = parseRange(request.range);
      const dimension = parseDimension(request.dimension);
      const limit = parsePageSize(request.pageSize, 20);
      // "All videos" means all of the caller's videos.
      let videos: { videoId: string } | { videoIds: string[] };
      if (request.videoId === "") {
        videos = { videoIds: await access.ownVideoIds(caller) };
      } else {
        const videoId = requireVideoId(request.videoId);
        await access.requireOwnVideo(videoId, caller);
        videos = { videoId };
      }
      const rows = await queryStore(() => getBreakdown(store, { ...videos, range, dimension, limit }));
      return { rows: rows.map(breakdownRowMessage) };
    },

    async getQoe(request, context) {
      const caller = requireCaller(context);
      const videoId = requireVideoId(request.videoId);
      const range = parseRange(request.range);
      await access.requireOwnVideo(videoId, caller);
      const qoe = await queryStore(() => getQoe(store, { videoId, range }));
      return { videoId, qoe: qoeMessage(qoe) };
    },
  };
}
