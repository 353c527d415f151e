import { KinoError } from "@kino/platform";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export interface CommentLimits {
  perMinute: number;
  perDay: number;
}

export interface CommentThrottle {
  /** Counts one comment by `userId`; rejects with RESOURCE_EXHAUSTED (and the seconds to wait) past a limit. */
  consume(userId: string): Promise<void>;
}

/** RESOURCE_EXHAUSTED with the seconds to wait, which also travel as the trailer `retry-after`. */
export class CommentsThrottledError extends KinoError {
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super("resource_exhausted", `${what}; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * Comments per user, per minute and per day, counted in Redis so every
 * catalog replica shares the counts. Each comment is counted before it is
 * written (one atomic increment per window), so parallel posts cannot slip
 * past a limit. Without Redis comments fail closed (UNAVAILABLE): a
 * per-process fallback would multiply the limits by the replicas, which is
 * what a spammer able to disturb Redis would want. Likes, playlists and
 * history do not need Redis.
 */
export function createCommentThrottle(redis: Redis, keyPrefix: string, limits: CommentLimits): CommentThrottle {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${keyPrefix}:${name}`, points, duration, rejectIfRedisNotReady: true });
  const windows = [
    { limiter: limiter("comments-minute", limits.perMinute, 60), what: `at most ${limits.perMinute} comments a minute` },
    { limiter: limiter("comments-day", limits.perDay, 86_400), what: `at most ${limits.perDay} comments a day` },
  ];
  return {
    async consume(userId) {
      for (const window of windows) {
        try {
          await window.limiter.consume(userId);
        } catch (refusal) {
          if (refusal instanceof RateLimiterRes) {
            throw new CommentsThrottledError(`comment rate limit reached: ${window.what}`, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
          }
          throw new KinoError("unavailable", "comments are unavailable for now: their rate-limit store cannot be reached; try again shortly", { cause: refusal });
        }
      }
    },
  };
}
