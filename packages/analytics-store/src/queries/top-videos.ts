import type { AnalyticsStore } from "../analytics-store.ts";
import { uintLiteral } from "../sql-literals.ts";
import { selectRows } from "./view-rows.ts";
import { checkTimeRange, rangeCondition, type TimeRange } from "./time-range.ts";
import { videoCondition } from "./video-filter.ts";

export interface TopVideosRequest {
  /** Applied at whole hours: a view counts in the hour its ViewStart fell in. */
  range: TimeRange;
  limit: number;
  /** Only these videos (an empty list matches none); omitted: all videos. */
  videoIds?: readonly string[];
}

export interface VideoRanking {
  videoId: string;
  views: number;
  uniqueViewers: number;
}

/** Videos with the most views in the range, from the hourly rollup; ties by video id. */
export async function listTopVideos(store: AnalyticsStore, request: TopVideosRequest): Promise<VideoRanking[]> {
  checkTimeRange(request.range);
  const videos = videoCondition(request.videoIds);
  type Row = { video_id: string; views: string; unique_viewers: string };
  const rows = await selectRows<Row>(
    store,
    `SELECT video_id, uniqExactMerge(views) AS views, uniqExactMerge(viewers) AS unique_viewers
     FROM ${store.database}.video_hourly
     WHERE ${rangeCondition("hour", request.range)}${videos === undefined ? "" : ` AND ${videos}`}
     GROUP BY video_id
     ORDER BY views DESC, video_id
     LIMIT ${uintLiteral(request.limit)}`,
  );
  return rows.map((row) => ({ videoId: row.video_id, views: Number(row.views), uniqueViewers: Number(row.unique_viewers) }));
}
