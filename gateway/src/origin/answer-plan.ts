import type { ObjectInfo } from "@kino/storage";
import { parseRange } from "./byte-range.ts";
import { ifRangeAllows, isNotModified, type RequestHeaders } from "./conditional.ts";

/** What the origin answers for an object that exists, before any byte is read. */
export type AnswerPlan =
  | { status: 200 }
  | { status: 206; range: { start: number; end: number } }
  | { status: 304 }
  | { status: 416 };

/** Conditionals first, then the Range; only GET has range semantics (RFC 9110 §14.2), HEAD describes the whole object. */
export function planAnswer(method: "GET" | "HEAD", headers: RequestHeaders, object: ObjectInfo): AnswerPlan {
  if (isNotModified(headers, object)) return { status: 304 };
  if (method !== "GET" || !ifRangeAllows(headers, object)) return { status: 200 };
  const rangeHeader = headers.range;
  const range = parseRange(Array.isArray(rangeHeader) ? rangeHeader.join(",") : rangeHeader, object.size);
  if (range.kind === "unsatisfiable") return { status: 416 };
  if (range.kind === "whole") return { status: 200 };
  return { status: 206, range: { start: range.start, end: range.end } };
}
