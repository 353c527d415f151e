import { KinoError, isVideoId } from "@kino/platform";

/*
 * Values in these queries are literals: ClickHouse 18.16 has no query
 * parameters (see @kino/analytics-store's sql-literals.ts). Only video ids
 * and times reach the SQL, each checked for its shape first, so no quoting
 * is ever needed.
 */

/** The shape of a catalog video id, as a ClickHouse regular expression: beacons may name anything. */
export const videoIdPattern = "'^[a-z0-9]{20}$'";

export function videoIdLiteral(videoId: string): string {
  if (!isVideoId(videoId)) throw new KinoError("invalid_argument", `not a video id: ${JSON.stringify(videoId.slice(0, 40))}`);
  return `'${videoId}'`;
}

export function videoIdList(videoIds: readonly string[]): string {
  // `IN ()` is a syntax error in ClickHouse.
  return videoIds.length === 0 ? "('')" : `(${videoIds.map(videoIdLiteral).join(", ")})`;
}

/** A DateTime from Unix seconds, timezone-independent. */
export function secondsLiteral(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new KinoError("invalid_argument", `time out of range: ${seconds}`);
  return `toDateTime(${seconds})`;
}
