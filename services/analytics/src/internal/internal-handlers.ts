import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { AnalyticsStore } from "@kino/analytics-store";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError, isVideoId, videoIdShape } from "@kino/platform";
import type { AnalyticsInternalService } from "@kino/proto/analytics/v1";
import { queryStore } from "../store-errors.ts";
import { readCoViewedVideos } from "./co-views.ts";
import { readViewCounts } from "./view-counts.ts";

const dayMs = 86_400_000;
/** How far before a listing began the next one starts: views reach ClickHouse a little after they start. */
const lateArrivalMs = 15 * 60_000;

function boundedInt(value: number, field: string, fallback: number, max: number): number {
  if (value === 0) return fallback;
  if (value < 1 || value > max) throw new KinoError("invalid_argument", `${field} must be between 1 and ${max}, got ${value}`);
  return value;
}

function secondsOf(timestamp: Timestamp | undefined): number | undefined {
  if (!timestamp) return undefined;
  if (timestamp.seconds < 0n || timestamp.seconds > 0xffffffffn) throw new KinoError("invalid_argument", "changed_since must be between 1970 and 2106");
  return Number(timestamp.seconds);
}

/** A listing's cursor: the last video id read, when the listing began, and the changed_since it belongs to. */
interface Cursor {
  after: string;
  asOf: number;
  since: number | null;
}

function decodeCursor(token: string, since: number | undefined): Cursor | undefined {
  if (token === "") return undefined;
  try {
    const cursor = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
    if (isVideoId(cursor.after) && Number.isSafeInteger(cursor.asOf) && cursor.since === (since ?? null)) return cursor;
  } catch {
    // Refused below.
  }
  throw new KinoError("invalid_argument", "page_token was not issued for this changed_since");
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

/** What the search service reads from analytics; its caller rule admits the search service only, acting for itself. */
export function analyticsInternalHandlers(store: AnalyticsStore, now: () => number = Date.now): ServiceHandlers<typeof AnalyticsInternalService> {
  return {
    async listViewCounts(request) {
      const since = secondsOf(request.changedSince);
      const limit = boundedInt(request.pageSize, "page_size", 500, 1000);
      const cursor = decodeCursor(request.pageToken, since);
      const asOf = cursor?.asOf ?? Math.floor(now() / 1000);
      const page = await queryStore(() => readViewCounts(store, { sinceSeconds: since, asOfSeconds: asOf, after: cursor?.after ?? "", limit }));
      return {
        videos: page.videos.map((video) => ({
          videoId: video.videoId,
          totalViews: BigInt(video.totalViews),
          recentHours: video.recentHours.map((hour) => ({ hourStartTime: timestampFromMs(hour.hourStart * 1000), views: BigInt(hour.views) })),
        })),
        nextPageToken: page.after ? encodeCursor({ after: page.after, asOf, since: since ?? null }) : "",
        nextChangedSince: timestampFromMs(asOf * 1000 - lateArrivalMs),
      };
    },

    async listCoViewedVideos(request) {
      if (request.videoIds.length < 1 || request.videoIds.length > 20) {
        throw new KinoError("invalid_argument", `video_ids must hold 1 to 20 ids, got ${request.videoIds.length}`);
      }
      for (const videoId of request.videoIds) {
        if (!isVideoId(videoId)) throw new KinoError("invalid_argument", `video_ids must be video ids (${videoIdShape})`);
      }
      const windowDays = boundedInt(request.windowDays, "window_days", 30, 90);
      const limit = boundedInt(request.pageSize, "page_size", 50, 200);
      const sinceSeconds = Math.floor((now() - windowDays * dayMs) / 1000);
      const videos = await queryStore(() => readCoViewedVideos(store, { videoIds: [...new Set(request.videoIds)], sinceSeconds, limit }));
      return { videos: videos.map((video) => ({ videoId: video.videoId, coViewers: BigInt(video.coViewers) })) };
    },
  };
}
