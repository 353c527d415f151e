import type { ObjectInfo } from "@kino/storage";
import type { GatewayResponse } from "../http/http-route.ts";
import type { MediaType } from "./media-types.ts";

export type HeaderMap = Record<string, string>;

const IMMUTABLE_SECONDS = 31_536_000;
const IMMUTABLE = `public, max-age=${IMMUTABLE_SECONDS}, immutable`;
// Answers that are not the object (errors, 404s) must not outlive the state that caused them in a CDN.
const NOT_STORED = "no-store";
const RETRY_AFTER_SECONDS = "5";

/** A public video's files: any cache may keep them (a tokened URL is a cache key of its own). */
export function cacheControlOf(type: MediaType, playlistMaxAgeSeconds: number): string {
  return type.kind === "playlist" ? `public, max-age=${playlistMaxAgeSeconds}` : IMMUTABLE;
}

/**
 * An unlisted or private video's files: never stored by a shared cache, so
 * every request reaches the origin, which checks the token and the video's
 * current visibility; the player may keep them, but not past the token.
 */
export function restrictedCacheControlOf(type: MediaType, playlistMaxAgeSeconds: number, secondsLeft: number): string {
  const usual = type.kind === "playlist" ? playlistMaxAgeSeconds : IMMUTABLE_SECONDS;
  return `private, max-age=${Math.max(0, Math.min(usual, Math.floor(secondsLeft)))}`;
}

// Formatting a date is a measurable share of answering from memory; a cached copy keeps its Date, so this keeps its text.
const httpDates = new WeakMap<Date, string>();
function httpDate(date: Date): string {
  let text = httpDates.get(date);
  if (text === undefined) {
    text = date.toUTCString();
    httpDates.set(date, text);
  }
  return text;
}

/** Validators and caching headers, as a 304 must repeat them (RFC 9110 §15.4.5). */
export function validatorHeaders(object: ObjectInfo, cacheControl: string): HeaderMap {
  return {
    etag: object.etag,
    "last-modified": httpDate(object.lastModified),
    "cache-control": cacheControl,
  };
}

/** Headers of a 200 or 206 carrying `length` bytes of the object. */
export function objectHeaders(object: ObjectInfo, type: MediaType, cacheControl: string, length: number): HeaderMap {
  return {
    ...validatorHeaders(object, cacheControl),
    "content-type": type.contentType,
    "content-length": String(length),
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
  };
}

const REASONS: Record<number, string> = {
  // The same word for a missing, expired, forged or misdirected token and a video the token does not open.
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  416: "range not satisfiable",
  503: "service unavailable",
};

/** A short plain-text answer that is not the object; HEAD gets the headers only. */
export function sendStatus(res: GatewayResponse, method: string | undefined, status: number, headers: HeaderMap = {}): void {
  const body = `${REASONS[status] ?? "error"}\n`;
  const extra = status === 503 ? { "retry-after": RETRY_AFTER_SECONDS } : {};
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": NOT_STORED,
    ...extra,
    ...headers,
  });
  if (method === "HEAD") res.end();
  else res.end(body);
}
