import { redactUrl, type Logger } from "@kino/platform";
import { Redis } from "ioredis";

/**
 * The comment rate limits' Redis connection. Commands fail at once while it
 * is down (no offline queue), so CreateComment answers UNAVAILABLE instead
 * of hanging; ioredis keeps reconnecting. A start without Redis goes on:
 * only comments need it.
 */
export async function connectRateLimitRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  let up = false;
  // Failures surface per command; without a listener ioredis would print every reconnect attempt.
  redis.on("error", () => {});
  redis.on("ready", () => {
    if (!up) logger.info({ redis: redactUrl(url) }, "rate-limit store (Redis) connected");
    up = true;
  });
  redis.on("close", () => {
    if (up) logger.warn("rate-limit store (Redis) lost: comments answer UNAVAILABLE until it is back");
    up = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    logger.warn({ err: error, redis: redactUrl(url) }, "rate-limit store (Redis) unreachable: comments answer UNAVAILABLE until it is");
  }
  return redis;
}
