import type { Redis } from "ioredis";
import type { Logger } from "@kino/platform";

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends; for Retry-After. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  check(subject: string): Promise<RateDecision>;
}

export interface FixedWindowOptions {
  redis: Redis;
  /** Calls allowed per subject and window. */
  limit: number;
  windowMs: number;
  /** Key prefix, so several deployments (or tests) can share a Redis. */
  prefix: string;
  logger: Logger;
  onRedisError?: () => void;
}

/**
 * Counts calls per subject in fixed windows shared by every gateway host
 * through Redis. When Redis cannot answer the call is allowed: a limiter
 * outage must not become an API outage.
 */
export function createFixedWindowLimiter(options: FixedWindowOptions): RateLimiter {
  let lastWarning = 0;
  return {
    async check(subject) {
      const now = Date.now();
      const window = Math.floor(now / options.windowMs);
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * options.windowMs - now) / 1000));
      const key = `${options.prefix}:${subject}:${window}`;
      try {
        const results = await options.redis.multi().incr(key).pexpire(key, options.windowMs * 2).exec();
        const count = Number(results?.[0]?.[1] ?? 0);
        return { allowed: count <= options.limit, retryAfterSeconds };
      } catch (error) {
        options.onRedisError?.();
        if (now - lastWarning > 30_000) {
          lastWarning = now;
          options.logger.warn({ err: error }, "rate limiter cannot reach Redis: allowing calls");
        }
        return { allowed: true, retryAfterSeconds };
      }
    },
  };
}
