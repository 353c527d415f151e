import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Granularity } from "@kino/proto/analytics/v1";

const hour = 3_600_000;

/** The ranges offered, and how many equal parts their QoE is split into (GetQoe answers one range at a time). */
export const ranges = [
  { days: 1, label: "Last 24 hours", granularity: Granularity.HOUR, qoeBuckets: 12 },
  { days: 7, label: "Last 7 days", granularity: Granularity.DAY, qoeBuckets: 7 },
  { days: 30, label: "Last 30 days", granularity: Granularity.DAY, qoeBuckets: 10 },
  { days: 365, label: "Last year", granularity: Granularity.DAY, qoeBuckets: 12 },
] as const;

export type RangePreset = (typeof ranges)[number];

/** A half-open range ending at the next full hour, so the figures of this hour are in. */
export function rangeOfDays(days: number) {
  const end = Math.ceil(Date.now() / hour) * hour;
  return { startTime: timestampFromMs(end - days * 24 * hour), endTime: timestampFromMs(end) };
}

/** The same range cut into `count` equal, adjacent half-open parts, oldest first. */
export function splitRange(days: number, count: number) {
  const end = Math.ceil(Date.now() / hour) * hour;
  const start = end - days * 24 * hour;
  const step = (end - start) / count;
  return Array.from({ length: count }, (_, i) => ({
    startMs: start + i * step,
    range: { startTime: timestampFromMs(start + i * step), endTime: timestampFromMs(i === count - 1 ? end : start + (i + 1) * step) },
  }));
}

/** A range's ends in seconds, as the charts' time axis takes them. */
export function rangeSeconds(range: ReturnType<typeof rangeOfDays>): [number, number] {
  return [Number(range.startTime.seconds), Number(range.endTime.seconds)];
}
