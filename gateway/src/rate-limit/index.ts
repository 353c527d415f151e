export { createFixedWindowLimiter, type FixedWindowOptions, type RateDecision, type RateLimiter } from "./fixed-window-limiter.ts";
export { clientAddressKey, rateLimitInterceptor } from "./rate-limit-interceptor.ts";
export { startRateLimits, type RateLimits } from "./start-rate-limits.ts";
