import { stringLiteral } from "../sql-literals.ts";

/** Which videos a query covers: one id, a set of ids (possibly empty), or all when undefined. */
export type VideoFilter = string | readonly string[] | undefined;

/** SQL condition on `video_id` for the filter; undefined when it covers every video. */
export function videoCondition(filter: VideoFilter): string | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === "string") return `video_id = ${stringLiteral(filter)}`;
  // `IN ()` is a syntax error in ClickHouse; an empty set matches nothing.
  if (filter.length === 0) return "0";
  return `video_id IN (${filter.map(stringLiteral).join(", ")})`;
}
