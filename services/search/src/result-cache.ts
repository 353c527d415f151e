import { createHash } from "node:crypto";
import { redactUrl, type Logger } from "@kino/platform";
import { Redis } from "ioredis";

/** A query asked this often within a minute is popular: its first page is cached. */
const popularPerMinute = 3;
/** A cache that does not answer at once is skipped: an answer uncached beats a slow one. */
const commandTimeoutMs = 250;

export interface ResultCache {
  /**
   * `compute()`'s answer, from the cache when a fresh one is there. `popular`
   * says which answers are worth keeping: always (listings everyone asks
   * for), or once the query behind `countAs` is asked often. Whatever goes
   * wrong with Redis, the answer is computed instead.
   */
  through<T>(key: string, policy: { always: true } | { countAs: string }, codec: Codec<T>, compute: () => Promise<T>): Promise<T>;
  /** Forgets every cached answer at once: a video left the results. */
  invalidate(): Promise<void>;
  close(): void;
}

export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

const digest = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);

/**
 * Popular answers in Redis for `ttlMs`. Every entry records the generation
 * it was computed in; `invalidate` moves the generation on, so a deleted or
 * privatised video leaves every cached answer as soon as search hears of
 * it. The TTL bounds what a lost invalidation (Redis away at that moment)
 * could leave behind.
 */
export function createResultCache(options: { url: string; prefix: string; ttlMs: number; logger: Logger }): ResultCache {
  const { prefix, ttlMs, logger } = options;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
  });
  let up = false;
  // Failures surface per command; without a listener ioredis would print every reconnect attempt.
  redis.on("error", () => {});
  redis.on("ready", () => {
    if (!up) logger.info({ redis: redactUrl(options.url) }, "result cache (Redis) connected");
    up = true;
  });
  redis.on("close", () => {
    if (up) logger.warn("result cache (Redis) lost: answers are computed uncached until it is back");
    up = false;
  });
  void redis.connect().catch(() => {});
  const generationKey = `${prefix}:generation`;
  // Keys hold digests only: request text never becomes a key.
  const answerKey = (key: string) => `${prefix}:answer:${digest(key)}`;

  async function lookup(key: string, countAs: string | undefined): Promise<{ generation: string; hit: Buffer | undefined; popular: boolean }> {
    const pipeline = redis.pipeline().get(generationKey).getBuffer(answerKey(key));
    const counter = countAs === undefined ? undefined : `${prefix}:asked:${Math.floor(Date.now() / 60_000)}:${digest(countAs)}`;
    if (counter) pipeline.incr(counter).pexpire(counter, 120_000);
    const results = await pipeline.exec();
    if (!results) throw new Error("pipeline discarded");
    for (const [error] of results) if (error) throw error;
    const generation = String(results[0]![1] ?? "0");
    const stored = results[1]![1] as Buffer | null;
    const popular = counter === undefined || Number(results[2]![1]) >= popularPerMinute;
    // An entry is "<generation>\n<answer>".
    const newline = stored?.indexOf(10) ?? -1;
    const hit = stored && newline > 0 && stored.subarray(0, newline).toString() === generation ? stored.subarray(newline + 1) : undefined;
    return { generation, hit, popular };
  }

  return {
    async through(key, policy, codec, compute) {
      let found: Awaited<ReturnType<typeof lookup>> | undefined;
      try {
        found = await lookup(key, "countAs" in policy ? policy.countAs : undefined);
        if (found.hit) return codec.decode(found.hit);
      } catch (error) {
        logger.debug({ err: error }, "result cache unavailable; answering uncached");
      }
      const value = await compute();
      if (found?.popular) {
        const entry = Buffer.concat([Buffer.from(`${found.generation}\n`), codec.encode(value)]);
        await redis.set(answerKey(key), entry, "PX", ttlMs).catch((error: unknown) => logger.debug({ err: error }, "answer not cached"));
      }
      return value;
    },

    async invalidate() {
      await redis.incr(generationKey).catch((error: unknown) => logger.warn({ err: error }, "cached answers not invalidated; they expire within their TTL"));
    },

    close: () => redis.disconnect(),
  };
}
