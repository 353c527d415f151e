import type { AnalyticsStore } from "../analytics-store.ts";
import { audienceColumns, selectRows, toAudienceTotals, viewsInRange, type AudienceTotals } from "./view-rows.ts";
import { checkTimeRange, type TimeRange } from "./time-range.ts";

export interface VideoSummaryRequest {
  videoId: string;
  range: TimeRange;
}

/** Views, unique viewers and watch time of one video's views that started in the range. */
export async function getVideoSummary(store: AnalyticsStore, request: VideoSummaryRequest): Promise<AudienceTotals> {
  checkTimeRange(request.range);
  type Row = { views: string; unique_viewers: string; watch_time_ms: string };
  const [row] = await selectRows<Row>(store, `SELECT ${audienceColumns} FROM ${viewsInRange(store, request.range, request.videoId)}`);
  return row ? toAudienceTotals(row) : { views: 0, uniqueViewers: 0, watchTimeMs: 0 };
}
