import type { ObjectInfo } from "@kino/storage";

export type RequestHeaders = Record<string, string | string[] | undefined>;
type Validators = Pick<ObjectInfo, "etag" | "lastModified">;

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function opaqueTag(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * RFC 9110 §13.2.2 for GET and HEAD: If-None-Match (weak comparison) wins
 * over If-Modified-Since, which is only looked at without it.
 */
export function isNotModified(headers: RequestHeaders, object: Validators): boolean {
  const ifNoneMatch = header(headers, "if-none-match");
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === "*") return true;
    const current = opaqueTag(object.etag);
    return ifNoneMatch.split(",").some((tag) => opaqueTag(tag.trim()) === current);
  }
  const ifModifiedSince = header(headers, "if-modified-since");
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && wholeSeconds(object.lastModified) <= since;
}

/**
 * RFC 9110 §13.1.5: a Range is honoured only while If-Range still names the
 * object, by strong entity tag or by its exact Last-Modified date; otherwise
 * the client gets the whole new object.
 */
export function ifRangeAllows(headers: RequestHeaders, object: Validators): boolean {
  const ifRange = header(headers, "if-range")?.trim();
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith("W/")) {
    return !ifRange.startsWith("W/") && !object.etag.startsWith("W/") && ifRange === object.etag;
  }
  const date = Date.parse(ifRange);
  return !Number.isNaN(date) && wholeSeconds(object.lastModified) === date;
}
