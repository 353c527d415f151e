import type { AnalyticsStore } from "../analytics-store.ts";
import { uintLiteral } from "../sql-literals.ts";
import { audienceColumns, selectRows, toAudienceTotals, viewsInRange, type AudienceTotals } from "./view-rows.ts";
import { checkTimeRange, type TimeRange } from "./time-range.ts";

export type BreakdownDimension = "device" | "browser" | "os" | "country";

const dimensionColumn: Record<BreakdownDimension, string> = {
  device: "device_type",
  browser: "browser_name",
  os: "os_name",
  country: "country",
};

export interface BreakdownRequest {
  /** One video; omitted: the videos in `videoIds`, or all videos. */
  videoId?: string;
  /** Only these videos (an empty list matches none); ignored when `videoId` is set. */
  videoIds?: readonly string[];
  range: TimeRange;
  dimension: BreakdownDimension;
  limit: number;
}

export interface BreakdownRow {
  /** "" when unknown. */
  value: string;
  totals: AudienceTotals;
}

/** Audience totals per value of a dimension, most views first. */
export async function getBreakdown(store: AnalyticsStore, request: BreakdownRequest): Promise<BreakdownRow[]> {
  checkTimeRange(request.range);
  const column = dimensionColumn[request.dimension];
  type Row = { value: string; views: string; unique_viewers: string; watch_time_ms: string };
  const rows = await selectRows<Row>(
    store,
    `SELECT ${column} AS value, ${audienceColumns}
     FROM ${viewsInRange(store, request.range, request.videoId ?? request.videoIds)}
     GROUP BY value
     ORDER BY views DESC, value
     LIMIT ${uintLiteral(request.limit)}`,
  );
  return rows.map((row) => ({ value: row.value, totals: toAudienceTotals(row) }));
}
