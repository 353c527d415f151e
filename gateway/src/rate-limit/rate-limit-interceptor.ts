import { Code, ConnectError, createContextKey, type Interceptor, type UnaryRequest, type StreamRequest } from "@connectrpc/connect";
import type { RateLimiter } from "./fixed-window-limiter.ts";

/** The client's address (after trusted proxies), put into each call's context by the gateway. */
export const clientAddressKey = createContextKey<string>("unknown", { description: "client address" });

/** Which bucket a call counts against; undefined lets it through uncounted. */
export type SubjectOf = (request: UnaryRequest | StreamRequest) => string | undefined;

/** Refuses a call over its subject's limit with ResourceExhausted and Retry-After (seconds). */
export function rateLimitInterceptor(limiter: RateLimiter, subjectOf: SubjectOf): Interceptor {
  return (next) => async (request) => {
    const subject = subjectOf(request);
    if (subject === undefined) return next(request);
    const decision = await limiter.check(subject);
    if (!decision.allowed) {
      const error = new ConnectError(`rate limit exceeded: retry in ${decision.retryAfterSeconds} s`, Code.ResourceExhausted);
      error.metadata.set("retry-after", String(decision.retryAfterSeconds));
      throw error;
    }
    return next(request);
  };
}
