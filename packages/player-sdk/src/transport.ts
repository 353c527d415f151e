import { retryAfterMs, statusVerdict } from "./backoff.ts";

export type SendResult =
  | { outcome: "delivered" }
  | { outcome: "retry"; retryAfterMs?: number }
  | { outcome: "refused"; status: number };

export interface Transport {
  /** POSTs one batch body with fetch(keepalive), so it survives the page going away mid-request. */
  send(body: string): Promise<SendResult>;
  /** Hands one batch body to navigator.sendBeacon; false when the browser would not queue it. */
  beacon(body: string): boolean;
}

export interface TransportOptions {
  /** The collector's POST /v1/events URL. */
  endpoint: string;
  fetch: typeof globalThis.fetch;
  sendBeacon: ((url: string, data: Blob) => boolean) | undefined;
  now: () => number;
}

/**
 * JSON sent as text/plain, which the collector reads as JSON: a CORS-safelisted
 * content type needs no preflight, and sendBeacon cannot send a type that
 * would need one.
 */
const contentType = "text/plain;charset=UTF-8";

export function createTransport(options: TransportOptions): Transport {
  const { endpoint, now } = options;
  return {
    async send(body) {
      let response: Response;
      try {
        response = await options.fetch(endpoint, {
          method: "POST",
          body,
          headers: { "Content-Type": contentType },
          keepalive: true,
          credentials: "omit",
          mode: "cors",
        });
      } catch {
        // A network error (collector unreachable, connection reset): the batch may be resent.
        return { outcome: "retry" };
      }
      // The answer's content is not needed; read it so the connection is released.
      await response.arrayBuffer().catch(() => undefined);
      const verdict = statusVerdict(response.status);
      if (verdict === "delivered") return { outcome: "delivered" };
      if (verdict === "refused") return { outcome: "refused", status: response.status };
      const delay = retryAfterMs(response.headers.get("Retry-After"), now());
      return delay === undefined ? { outcome: "retry" } : { outcome: "retry", retryAfterMs: delay };
    },
    beacon(body) {
      if (!options.sendBeacon) return false;
      return options.sendBeacon(endpoint, new Blob([body], { type: contentType }));
    },
  };
}
