import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import type { RateLimiter } from "./fixed-window-limiter.ts";

/** The client's address, put into each call's context by the gateway. */
export const clientAddressKey = createContextKey<string>("unknown", { description: "client address" });

/**
 * Limits RPCs per caller: an authenticated owner is one subject whatever
 * its address; anonymous callers are counted per address.
 */
export function rateLimitInterceptor(limiter: RateLimiter, callerOf: (header: Headers) => string | undefined): Interceptor {
  return (next) => async (request) => {
    let subject: string;
    try {
      const caller = callerOf(request.header);
      subject = caller ? `owner:${caller}` : `addr:${request.contextValues.get(clientAddressKey)}`;
    } catch {
      // A bad key is refused by the handler itself; count it against the address.
      subject = `addr:${request.contextValues.get(clientAddressKey)}`;
    }
    const decision = await limiter.check(subject);
    if (!decision.allowed) {
      const error = new ConnectError(`rate limit exceeded: retry in ${decision.retryAfterSeconds} s`, Code.ResourceExhausted);
      error.metadata.set("retry-after", String(decision.retryAfterSeconds));
      throw error;
    }
    return next(request);
  };
}
