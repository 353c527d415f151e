import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Granularity } from "@kino/proto/analytics/v1";

export const ranges = [
  { days: 1, label: "Last 24 hours", granularity: Granularity.HOUR },
  { days: 7, label: "Last 7 days", granularity: Granularity.DAY },
  { days: 30, label: "Last 30 days", granularity: Granularity.DAY },
  { days: 365, label: "Last year", granularity: Granularity.DAY },
] as const;

/** A half-open range ending at the next full hour, so the figures of this hour are in. */
export function rangeOfDays(days: number) {
  const hour = 3_600_000;
  const end = Math.ceil(Date.now() / hour) * hour;
  return { startTime: timestampFromMs(end - days * 24 * hour), endTime: timestampFromMs(end) };
}
