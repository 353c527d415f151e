import type { AnalyticsStore } from "../analytics-store.ts";
import { audienceColumns, selectRows, toAudienceTotals, viewsInRange, type AudienceTotals } from "./view-rows.ts";
import { checkTimeRange, type TimeRange } from "./time-range.ts";

export type Granularity = "hour" | "day";

export interface VideoTimeSeriesRequest {
  videoId: string;
  range: TimeRange;
  granularity: Granularity;
}

export interface TimeSeriesPoint {
  bucketStart: Date;
  totals: AudienceTotals;
}

const maxDays: Record<Granularity, number> = { hour: 31, day: 3660 };

/** Audience totals per UTC hour or day of view start, oldest first; empty buckets are left out. */
export async function getVideoTimeSeries(store: AnalyticsStore, request: VideoTimeSeriesRequest): Promise<TimeSeriesPoint[]> {
  checkTimeRange(request.range, maxDays[request.granularity]);
  const bucket = request.granularity === "hour" ? "toStartOfHour(started_at, 'UTC')" : "toStartOfDay(started_at, 'UTC')";
  type Row = { bucket: string; views: string; unique_viewers: string; watch_time_ms: string };
  const rows = await selectRows<Row>(
    store,
    `SELECT toUnixTimestamp(${bucket}) AS bucket, ${audienceColumns}
     FROM ${viewsInRange(store, request.range, request.videoId)}
     GROUP BY bucket ORDER BY bucket`,
  );
  return rows.map((row) => ({ bucketStart: new Date(Number(row.bucket) * 1000), totals: toAudienceTotals(row) }));
}
