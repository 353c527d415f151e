import { Redis } from "ioredis";
import type { Logger } from "@kino/platform";
import { createFixedWindowLimiter, type RateLimiter } from "./fixed-window-limiter.ts";

export interface GatewayRateLimiters {
  /** Every RPC, per client address, before authentication (so guessing keys counts too). */
  perAddress?: RateLimiter;
  /** Every RPC, per signed-in user, whatever address it comes from. */
  perUser?: RateLimiter;
  /** CreateUpload, per user. */
  uploads?: RateLimiter;
}

export interface RateLimits {
  limiters: GatewayRateLimiters;
  close(): void;
}

interface RateLimitSettings {
  redisUrl: string;
  rateLimitPerMinute: number;
  rateLimitPerAddressPerMinute: number;
  uploadsPerMinute: number;
}

/** Per-minute limits counted in Redis; commands fail fast while Redis is away, and the limiter then allows. */
export function startRateLimits(config: RateLimitSettings, logger: Logger): RateLimits {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Failures surface per command; without a listener ioredis would log every reconnect attempt.
  redis.on("error", () => {});
  void redis.connect().catch(() => {});
  const limiter = (limit: number, prefix: string) =>
    limit > 0 ? createFixedWindowLimiter({ redis, limit, windowMs: 60_000, prefix, logger }) : undefined;
  return {
    limiters: {
      perAddress: limiter(config.rateLimitPerAddressPerMinute, "kino:ratelimit:addr"),
      perUser: limiter(config.rateLimitPerMinute, "kino:ratelimit:user"),
      uploads: limiter(config.uploadsPerMinute, "kino:ratelimit:upload"),
    },
    close: () => redis.disconnect(),
  };
}
