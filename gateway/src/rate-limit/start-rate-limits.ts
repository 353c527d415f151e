import { Redis } from "ioredis";
import type { Logger } from "@kino/platform";
import { createFixedWindowLimiter, type RateLimiter } from "./fixed-window-limiter.ts";

export interface RateLimits {
  limiter: RateLimiter;
  close(): void;
}

/** Per-minute limits counted in Redis; commands fail fast while Redis is away, and the limiter then allows. */
export function startRateLimits(config: { redisUrl: string; rateLimitPerMinute: number }, logger: Logger): RateLimits {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Failures surface per command; without a listener ioredis would log every reconnect attempt.
  redis.on("error", () => {});
  void redis.connect().catch(() => {});
  return {
    limiter: createFixedWindowLimiter({ redis, limit: config.rateLimitPerMinute, windowMs: 60_000, prefix: "kino:ratelimit", logger }),
    close: () => redis.disconnect(),
  };
}
