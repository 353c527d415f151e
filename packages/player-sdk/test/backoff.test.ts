import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, retryAfterMs, statusVerdict } from "../src/backoff.ts";

test("backoff doubles per attempt up to its cap, jittered within the upper half", () => {
  const low = { baseMs: 1000, maxMs: 8000, random: () => 0 };
  const high = { ...low, random: () => 0.999999 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, low)), [500, 1000, 2000, 4000, 4000, 4000]);
  assert.deepEqual([0, 1, 2, 3, 4].map((a) => Math.round(backoffDelay(a, high))), [1000, 2000, 4000, 8000, 8000]);
});

test("Retry-After is read as seconds or as an HTTP date", () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  assert.equal(retryAfterMs("2", now), 2000);
  assert.equal(retryAfterMs(new Date(now + 7000).toUTCString(), now), 7000);
  assert.equal(retryAfterMs(null, now), undefined);
  assert.equal(retryAfterMs("soon", now), undefined);
});

test("2xx is delivered; 408, 429 and 5xx are retried; other 4xx are final", () => {
  assert.equal(statusVerdict(200), "delivered");
  for (const status of [408, 429, 500, 502, 503]) assert.equal(statusVerdict(status), "retry", String(status));
  for (const status of [400, 403, 404, 413, 415]) assert.equal(statusVerdict(status), "refused", String(status));
});
