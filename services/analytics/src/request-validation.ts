import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { BreakdownDimension, Granularity as StoreGranularity, TimeRange } from "@kino/analytics-store";
import { KinoError, isVideoId, videoIdShape } from "@kino/platform";
import { Dimension, Granularity, type TimeRange as TimeRangeMessage } from "@kino/proto/analytics/v1";

const dayMs = 86_400_000;
/** The contract's bound for daily series; other ranges share it. */
export const maxRangeDays = 3660;
export const maxHourlyRangeDays = 31;
/** ClickHouse DateTime is unsigned 32-bit seconds. */
const maxSeconds = 0xffffffffn;

function timeOf(timestamp: Timestamp | undefined, field: string): Date {
  if (!timestamp) throw new KinoError("invalid_argument", `${field} is required`);
  if (timestamp.seconds < 0n || timestamp.seconds > maxSeconds) {
    throw new KinoError("invalid_argument", `${field} must be between 1970-01-01 and 2106-02-07`);
  }
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000));
}

/** The half-open range of a request, checked: both ends present, start before end, at most `maxDays` long. */
export function parseRange(range: TimeRangeMessage | undefined, maxDays = maxRangeDays): TimeRange {
  if (!range) throw new KinoError("invalid_argument", "range is required");
  const start = timeOf(range.startTime, "range.start_time");
  const end = timeOf(range.endTime, "range.end_time");
  if (start >= end) throw new KinoError("invalid_argument", "range.start_time must be before range.end_time");
  const days = (end.getTime() - start.getTime()) / dayMs;
  if (days > maxDays) {
    throw new KinoError("invalid_argument", `range must span at most ${maxDays} days, got ${Math.ceil(days)}`);
  }
  return { start, end };
}

/** UNSPECIFIED means daily, per the contract. */
export function parseGranularity(granularity: Granularity): StoreGranularity {
  switch (granularity) {
    case Granularity.UNSPECIFIED:
    case Granularity.DAY:
      return "day";
    case Granularity.HOUR:
      return "hour";
    default:
      throw new KinoError("invalid_argument", `granularity ${granularity} is not a known granularity`);
  }
}

/** A time-series range: hourly buckets only over short ranges, so a response stays small. */
export function parseSeriesRange(range: TimeRangeMessage | undefined, granularity: StoreGranularity): TimeRange {
  const parsed = parseRange(range);
  if (granularity === "hour" && parsed.end.getTime() - parsed.start.getTime() > maxHourlyRangeDays * dayMs) {
    throw new KinoError(
      "invalid_argument",
      `granularity GRANULARITY_HOUR allows a range of at most ${maxHourlyRangeDays} days; use GRANULARITY_DAY for longer ranges`,
    );
  }
  return parsed;
}

const dimensions: Partial<Record<Dimension, BreakdownDimension>> = {
  [Dimension.DEVICE]: "device",
  [Dimension.BROWSER]: "browser",
  [Dimension.OS]: "os",
  [Dimension.COUNTRY]: "country",
};

export function parseDimension(dimension: Dimension): BreakdownDimension {
  if (dimension === Dimension.UNSPECIFIED) throw new KinoError("invalid_argument", "dimension is required");
  const parsed = dimensions[dimension];
  if (!parsed) throw new KinoError("invalid_argument", `dimension ${dimension} is not a known dimension`);
  return parsed;
}

/** 1 to 100; 0 means `fallback`. */
export function parsePageSize(pageSize: number, fallback: number): number {
  if (pageSize === 0) return fallback;
  if (pageSize < 1 || pageSize > 100) throw new KinoError("invalid_argument", `page_size must be between 1 and 100, got ${pageSize}`);
  return pageSize;
}

export function requireVideoId(videoId: string): string {
  if (videoId === "") throw new KinoError("invalid_argument", "video_id is required");
  if (!isVideoId(videoId)) throw new KinoError("invalid_argument", `video_id must be a video id (${videoIdShape})`);
  return videoId;
}
