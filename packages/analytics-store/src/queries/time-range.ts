import { KinoError } from "@kino/platform";
import { dateTimeLiteral } from "../sql-literals.ts";

/** Half-open: start <= t < end. */
export interface TimeRange {
  start: Date;
  end: Date;
}

export function checkTimeRange(range: TimeRange, maxDays?: number): void {
  const start = range.start.getTime();
  const end = range.end.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new KinoError("invalid_argument", "range start and end are required");
  if (start >= end) throw new KinoError("invalid_argument", "range start must be before its end");
  if (maxDays !== undefined && end - start > maxDays * 86_400_000) {
    throw new KinoError("invalid_argument", `range is longer than ${maxDays} days`);
  }
}

/** SQL condition `column` within the range. */
export function rangeCondition(column: string, range: TimeRange): string {
  return `${column} >= ${dateTimeLiteral(range.start)} AND ${column} < ${dateTimeLiteral(range.end)}`;
}
