import { cors as connectCors } from "@connectrpc/connect";
import type { IncomingHttpHeaders } from "node:http";

const tusRequestHeaders = ["Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum", "Upload-Defer-Length", "Upload-Concat"];
const tusResponseHeaders = ["Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Upload-Metadata", "Tus-Version", "Tus-Resumable", "Tus-Max-Size", "Tus-Extension", "Tus-Checksum-Algorithm"];

const allowedMethods = [...new Set([...connectCors.allowedMethods, "GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"])];
const allowedHeaders = [...new Set([...connectCors.allowedHeaders, ...tusRequestHeaders, "Authorization", "X-Request-Id", "Range", "If-None-Match", "If-Modified-Since", "X-HTTP-Method-Override"])];
const exposedHeaders = [...new Set([...connectCors.exposedHeaders, ...tusResponseHeaders, "Content-Range", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified", "X-Request-Id"])];

// Joined once: these headers go out with every answer.
const exposedHeaderList = exposedHeaders.join(", ");

const preflightHeaders = {
  "access-control-allow-methods": allowedMethods.join(", "),
  "access-control-allow-headers": allowedHeaders.join(", "),
  "access-control-max-age": "7200",
};

export interface CorsPolicy {
  /**
   * Headers for the response to any request, whatever its status. A shared
   * cache stores them with the response and hands that copy to every later
   * requester, with or without an Origin, so they never depend on the Origin
   * unless they say so with Vary.
   */
  headersFor(method: string | undefined, requestHeaders: IncomingHttpHeaders): Record<string, string>;
  isPreflight(method: string | undefined, requestHeaders: IncomingHttpHeaders): boolean;
}

/**
 * `origins` is "*" or a comma-separated allow-list of exact origins. With
 * "*" every response says `*`, Origin or not (a CDN copy first fetched by
 * ffmpeg or a prefetch works for browsers too); with a list every response
 * carries `Vary: Origin`, so a cache keeps one copy per origin.
 */
export function createCorsPolicy(origins: string): CorsPolicy {
  const any = origins.trim() === "*";
  const allowed = new Set(origins.split(",").map((o) => o.trim()).filter(Boolean));
  const isPreflight = (method: string | undefined, requestHeaders: IncomingHttpHeaders) =>
    method === "OPTIONS" && requestHeaders["access-control-request-method"] !== undefined;
  return {
    headersFor(method, requestHeaders) {
      const origin = requestHeaders.origin;
      const vary: Record<string, string> = any ? {} : { vary: "Origin" };
      if (!any && (!origin || !allowed.has(origin))) return vary;
      return {
        ...vary,
        "access-control-allow-origin": any ? "*" : origin!,
        "access-control-expose-headers": exposedHeaderList,
        ...(isPreflight(method, requestHeaders) ? preflightHeaders : {}),
      };
    },
    isPreflight,
  };
}
