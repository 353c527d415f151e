import type { AnalyticsStore } from "../analytics-store.ts";
import { selectRows, viewsInRange } from "./view-rows.ts";
import { checkTimeRange, type TimeRange } from "./time-range.ts";

export interface QoeRequest {
  videoId: string;
  range: TimeRange;
}

/** Quality of experience over the views that started in the range. Ratios are 0 when undefined. */
export interface Qoe {
  views: number;
  startedViews: number;
  averageStartupTimeMs: number;
  /** Stalled time / (stalled + playing time). */
  rebufferRatio: number;
  rebufferCount: number;
  exitsBeforeStart: number;
  /** Views with at least one error / views. */
  errorRate: number;
  /** Bitrate averaged over the time played. */
  weightedAverageBitrateBps: number;
}

export async function getQoe(store: AnalyticsStore, request: QoeRequest): Promise<Qoe> {
  checkTimeRange(request.range);
  type Row = Record<
    "views" | "started_views" | "startup_sum" | "startup_count" | "watch_ms" | "rebuffer_ms" | "rebuffer_count" | "exits" | "errored" | "bits",
    string
  >;
  const [row] = await selectRows<Row>(
    store,
    `SELECT
       count() AS views,
       countIf(first_frame = 1) AS started_views,
       sumIf(startup_time_ms, startup_time_ms > 0) AS startup_sum,
       countIf(startup_time_ms > 0) AS startup_count,
       sum(watch_time_ms) AS watch_ms,
       sum(rebuffer_time_ms) AS rebuffer_ms,
       sum(rebuffer_count) AS rebuffer_count,
       countIf(ended = 1 AND first_frame = 0) AS exits,
       countIf(errored = 1) AS errored,
       sum(played_bits) AS bits
     FROM ${viewsInRange(store, request.range, request.videoId)}`,
  );
  const n = (key: keyof Row) => Number(row?.[key] ?? 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    views: n("views"),
    startedViews: n("started_views"),
    averageStartupTimeMs: ratio(n("startup_sum"), n("startup_count")),
    rebufferRatio: ratio(n("rebuffer_ms"), n("rebuffer_ms") + n("watch_ms")),
    rebufferCount: n("rebuffer_count"),
    exitsBeforeStart: n("exits"),
    errorRate: ratio(n("errored"), n("views")),
    weightedAverageBitrateBps: ratio(n("bits"), n("watch_ms") / 1000),
  };
}
