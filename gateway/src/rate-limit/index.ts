export { createFixedWindowLimiter, type FixedWindowOptions, type RateDecision, type RateLimiter } from "./fixed-window-limiter.ts";
export { clientAddressKey, rateLimitInterceptor, type SubjectOf } from "./rate-limit-interceptor.ts";
export { startRateLimits, type GatewayRateLimiters, type RateLimits } from "./start-rate-limits.ts";
