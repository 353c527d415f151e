import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "@kino/platform";
import { playbackConfigSchema } from "../src/origin/playback-config.ts";
import { playbackTokenConfigSchema } from "../src/playback/index.ts";

test("signed playback defaults to 6 h URLs and no secret (only public videos play then); the origin's cache to 30 s", () => {
  const config = parseConfig({ ...playbackTokenConfigSchema, ...playbackConfigSchema }, {});
  assert.equal(config.playbackTokenSecret, undefined);
  assert.equal(config.playbackTokenTtlSeconds, 6 * 3600);
  assert.equal(config.playbackCacheTtlMs, 30_000);
  const set = parseConfig(playbackTokenConfigSchema, { KINO_PLAYBACK_TOKEN_SECRET: "p".repeat(32), KINO_PLAYBACK_TOKEN_TTL_SECONDS: "86400" });
  assert.deepEqual(set, { playbackTokenSecret: "p".repeat(32), playbackTokenTtlSeconds: 86_400 });
});

test("a short secret or a lifetime past 24 h is refused, naming the variable and never echoing the secret", () => {
  assert.throws(
    () => parseConfig(playbackTokenConfigSchema, { KINO_PLAYBACK_TOKEN_SECRET: "hunter2-hunter2-hunter2" }),
    (error: Error) => /^KINO_PLAYBACK_TOKEN_SECRET: must be at least 32 characters long$/.test(error.message) && !error.message.includes("hunter2"),
  );
  assert.throws(() => parseConfig(playbackTokenConfigSchema, { KINO_PLAYBACK_TOKEN_TTL_SECONDS: "86401" }), /KINO_PLAYBACK_TOKEN_TTL_SECONDS: must be at most 86400/);
  assert.throws(() => parseConfig(playbackTokenConfigSchema, { KINO_PLAYBACK_TOKEN_TTL_SECONDS: "59" }), /KINO_PLAYBACK_TOKEN_TTL_SECONDS: must be at least 60/);
  assert.throws(() => parseConfig(playbackConfigSchema, { KINO_PLAYBACK_CACHE_TTL_MS: "-1" }), /KINO_PLAYBACK_CACHE_TTL_MS: must be at least 0/);
});
