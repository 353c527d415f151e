import { cors as connectCors } from "@connectrpc/connect";
import type { IncomingHttpHeaders } from "node:http";

const tusRequestHeaders = ["Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum", "Upload-Defer-Length", "Upload-Concat"];
const tusResponseHeaders = ["Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Upload-Metadata", "Tus-Version", "Tus-Resumable", "Tus-Max-Size", "Tus-Extension", "Tus-Checksum-Algorithm"];

const allowedMethods = [...new Set([...connectCors.allowedMethods, "GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"])];
const allowedHeaders = [...new Set([...connectCors.allowedHeaders, ...tusRequestHeaders, "Authorization", "X-Request-Id", "Range", "If-None-Match", "If-Modified-Since", "X-HTTP-Method-Override"])];
const exposedHeaders = [...new Set([...connectCors.exposedHeaders, ...tusResponseHeaders, "Content-Range", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified", "X-Request-Id"])];

export interface CorsPolicy {
  /** Headers to add to the response; empty when the origin is not allowed. */
  headersFor(requestHeaders: IncomingHttpHeaders): Record<string, string>;
  isPreflight(method: string | undefined, requestHeaders: IncomingHttpHeaders): boolean;
}

/** `origins` is "*" or a comma-separated allow-list of exact origins. */
export function createCorsPolicy(origins: string): CorsPolicy {
  const any = origins.trim() === "*";
  const allowed = new Set(origins.split(",").map((o) => o.trim()).filter(Boolean));
  return {
    headersFor(requestHeaders) {
      const origin = requestHeaders.origin;
      if (!origin || (!any && !allowed.has(origin))) return {};
      return {
        "access-control-allow-origin": any ? "*" : origin,
        ...(any ? {} : { vary: "Origin" }),
        "access-control-allow-methods": allowedMethods.join(", "),
        "access-control-allow-headers": allowedHeaders.join(", "),
        "access-control-expose-headers": exposedHeaders.join(", "),
        "access-control-max-age": "7200",
      };
    },
    isPreflight: (method, requestHeaders) => method === "OPTIONS" && requestHeaders["access-control-request-method"] !== undefined,
  };
}
