import type { Logger } from "@kino/platform";
import { redactUrl } from "@kino/platform";
import { Redis } from "ioredis";

/**
 * The throttles' Redis connection. Commands fail at once while it is down
 * (no offline queue), so throttled RPCs answer UNAVAILABLE instead of
 * hanging; ioredis keeps reconnecting, and they work again when it is back.
 * A start without Redis goes on: only the throttled RPCs need it.
 */
export async function connectThrottleRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  let up = false;
  // Failures surface per command; without a listener ioredis would print every reconnect attempt.
  redis.on("error", () => {});
  redis.on("ready", () => {
    if (!up) logger.info({ redis: redactUrl(url) }, "throttle store (Redis) connected");
    up = true;
  });
  redis.on("close", () => {
    if (up) logger.warn("throttle store (Redis) lost: sign-in and codes answer UNAVAILABLE until it is back");
    up = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    logger.warn({ err: error, redis: redactUrl(url) }, "throttle store (Redis) unreachable: sign-in and codes answer UNAVAILABLE until it is");
  }
  return redis;
}
