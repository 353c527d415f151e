/**
 * Which player origins may send beacons. A request without an Origin header
 * (a native app, a server) is not a browser and is always allowed; a browser
 * request from an origin not on the list is refused.
 */
export interface CorsPolicy {
  allows(origin: string): boolean;
  /** Headers for a response to `origin`; empty without an Origin header. */
  headers(origin: string): [string, string][];
  preflightHeaders(origin: string): [string, string][];
}

export function createCorsPolicy(spec: string): CorsPolicy {
  const list = spec.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const any = list.includes("*");
  const origins = new Set(list.map((o) => o.replace(/\/$/, "").toLowerCase()));
  const allows = (origin: string) => origin === "" || any || origins.has(origin.toLowerCase());
  // Retry-After is not a CORS-safelisted response header: unexposed, a player page would not see how long to back off.
  const headers = (origin: string): [string, string][] =>
    origin === "" || !allows(origin)
      ? []
      : [
          ["Access-Control-Allow-Origin", origin],
          ["Access-Control-Expose-Headers", "Retry-After"],
          ["Vary", "Origin"],
        ];
  return {
    allows,
    headers,
    preflightHeaders: (origin) => [
      ...headers(origin),
      ["Access-Control-Allow-Methods", "POST, OPTIONS"],
      ["Access-Control-Allow-Headers", "Content-Type"],
      ["Access-Control-Max-Age", "86400"],
    ],
  };
}
