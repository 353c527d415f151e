import { intField } from "@kino/platform";

/** Bounds on what one client may make the gateway hold; spread into the gateway's config schema. */
export const httpLimitsConfigSchema = {
  maxRequestBytes: intField("KINO_GATEWAY_MAX_REQUEST_BYTES", {
    description: "largest RPC request message, after decompression; larger ones get ResourceExhausted",
    default: 1024 * 1024,
    min: 1024,
    // connect-node's own ceiling for readMaxBytes.
    max: 0xffffffff,
  }),
  firstBytesTimeoutMs: intField("KINO_GATEWAY_FIRST_BYTES_TIMEOUT_MS", {
    description: "a new connection that has not sent a request line or a complete HTTP/2 preface and settings by then is closed",
    default: 10_000,
    min: 100,
  }),
  headersTimeoutMs: intField("KINO_GATEWAY_HEADERS_TIMEOUT_MS", {
    description: "an HTTP/1.1 request whose headers are not complete by then is answered 408 and closed",
    default: 20_000,
    min: 100,
  }),
  idleTimeoutMs: intField("KINO_GATEWAY_IDLE_TIMEOUT_MS", {
    description: "an HTTP/2 connection with no open stream for this long is closed (GOAWAY)",
    default: 60_000,
    min: 100,
  }),
  bodyMinBytesPerSecond: intField("KINO_GATEWAY_BODY_MIN_BYTES_PER_SECOND", {
    description: "a request body (an RPC, a tus PATCH) must average at least this rate over each window, or it is cut with 408",
    default: 1024,
    min: 1,
  }),
  bodyRateWindowMs: intField("KINO_GATEWAY_BODY_RATE_WINDOW_MS", {
    description: "the window the body rate is judged over; a body that sends nothing for this long is cut",
    default: 30_000,
    min: 100,
  }),
};

export interface HttpLimits {
  maxRequestBytes: number;
  firstBytesTimeoutMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  bodyMinBytesPerSecond: number;
  bodyRateWindowMs: number;
}
