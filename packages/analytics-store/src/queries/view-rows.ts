import type { AnalyticsStore } from "../analytics-store.ts";
import { rangeCondition, type TimeRange } from "./time-range.ts";
import { videoCondition, type VideoFilter } from "./video-filter.ts";

/**
 * A subquery with one row per view that started in the range, its states
 * merged: the base of every per-view figure. A view without a received
 * ViewStart has started_at 0 and so falls in no range.
 */
export function viewsInRange(store: AnalyticsStore, range: TimeRange, videos?: VideoFilter): string {
  const condition = videoCondition(videos);
  const where = condition === undefined ? "" : `WHERE ${condition}`;
  return `(
    SELECT
      video_id,
      view_id,
      minIfMerge(started_at) AS started_at,
      anyMerge(viewer_id) AS viewer_id,
      anyMerge(device_type) AS device_type,
      anyMerge(os_name) AS os_name,
      anyMerge(browser_name) AS browser_name,
      anyMerge(country) AS country,
      maxMerge(first_frame) AS first_frame,
      minIfMerge(startup_time_ms) AS startup_time_ms,
      maxMerge(watch_time_ms) AS watch_time_ms,
      maxMerge(rebuffer_time_ms) AS rebuffer_time_ms,
      maxMerge(played_bits) AS played_bits,
      uniqExactIfMerge(rebuffer_count) AS rebuffer_count,
      maxMerge(errored) AS errored,
      maxMerge(ended) AS ended
    FROM ${store.database}.view_stats
    ${where}
    GROUP BY video_id, view_id
    HAVING ${rangeCondition("started_at", range)}
  )`;
}

/** The audience columns over a set of view rows. */
export const audienceColumns = "count() AS views, uniqExact(viewer_id) AS unique_viewers, sum(watch_time_ms) AS watch_time_ms";

export interface AudienceTotals {
  views: number;
  uniqueViewers: number;
  watchTimeMs: number;
}

export function toAudienceTotals(row: { views: string | number; unique_viewers: string | number; watch_time_ms: string | number }): AudienceTotals {
  return { views: Number(row.views), uniqueViewers: Number(row.unique_viewers), watchTimeMs: Number(row.watch_time_ms) };
}

export async function selectRows<T>(store: AnalyticsStore, query: string): Promise<T[]> {
  const result = await store.client.query({ query, format: "JSONEachRow" });
  return result.json<T>();
}
