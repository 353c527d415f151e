import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AudienceTotals, BreakdownRow, Qoe, TimeSeriesPoint, VideoRanking } from "@kino/analytics-store";
import type {
  AudienceTotalsSchema,
  BreakdownRowSchema,
  QoeSchema,
  TimeSeriesPointSchema,
  VideoRankingSchema,
} from "@kino/proto/analytics/v1";

/* The store's figures as the contract's messages; counts are uint64 there. */

export function totalsMessage(totals: AudienceTotals): MessageInitShape<typeof AudienceTotalsSchema> {
  return { views: BigInt(totals.views), uniqueViewers: BigInt(totals.uniqueViewers), watchTimeMs: BigInt(totals.watchTimeMs) };
}

export function pointMessage(point: TimeSeriesPoint): MessageInitShape<typeof TimeSeriesPointSchema> {
  return { bucketStartTime: timestampFromDate(point.bucketStart), totals: totalsMessage(point.totals) };
}

export function rankingMessage(ranking: VideoRanking): MessageInitShape<typeof VideoRankingSchema> {
  return { videoId: ranking.videoId, views: BigInt(ranking.views), uniqueViewers: BigInt(ranking.uniqueViewers) };
}

export function breakdownRowMessage(row: BreakdownRow): MessageInitShape<typeof BreakdownRowSchema> {
  return { value: row.value, totals: totalsMessage(row.totals) };
}

export function qoeMessage(qoe: Qoe): MessageInitShape<typeof QoeSchema> {
  return {
    views: BigInt(qoe.views),
    startedViews: BigInt(qoe.startedViews),
    averageStartupTimeMs: qoe.averageStartupTimeMs,
    rebufferRatio: qoe.rebufferRatio,
    rebufferCount: BigInt(qoe.rebufferCount),
    exitsBeforeStart: BigInt(qoe.exitsBeforeStart),
    errorRate: qoe.errorRate,
    weightedAverageBitrateBps: qoe.weightedAverageBitrateBps,
  };
}
