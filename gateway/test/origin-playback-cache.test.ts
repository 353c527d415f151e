import assert from "node:assert/strict";
import { test } from "node:test";
import { cachePlayback } from "../src/origin/index.ts";

/** A resolver over a table the test edits, counting how often it is asked. */
function table(initial: Record<string, string>) {
  const current = new Map(Object.entries(initial));
  const calls: string[] = [];
  let failing = false;
  return {
    current,
    calls,
    fail(on: boolean) {
      failing = on;
    },
    resolve: async (videoId: string) => {
      calls.push(videoId);
      if (failing) throw new Error("catalog down");
      return current.get(videoId);
    },
  };
}

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test("a READY answer is reused until its TTL, then asked again and a new attempt shows", async () => {
  const source = table({ v1: "attempt1" });
  const time = clock();
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000, negativeTtlMs: 2_000, now: time.now });
  assert.equal(await resolve("v1"), "attempt1");
  source.current.set("v1", "attempt2");
  time.advance(29_999);
  assert.equal(await resolve("v1"), "attempt1");
  assert.equal(source.calls.length, 1);
  time.advance(1);
  assert.equal(await resolve("v1"), "attempt2");
  assert.equal(source.calls.length, 2);
});

test("'not playable' is remembered only briefly, so a video that turns READY plays soon", async () => {
  const source = table({});
  const time = clock();
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000, negativeTtlMs: 2_000, now: time.now });
  assert.equal(await resolve("v1"), undefined);
  source.current.set("v1", "attempt1");
  assert.equal(await resolve("v1"), undefined);
  time.advance(2_000);
  assert.equal(await resolve("v1"), "attempt1");
  assert.deepEqual(source.calls, ["v1", "v1"]);
});

test("concurrent lookups of one video share one call", async () => {
  const source = table({ v1: "attempt1" });
  const resolve = cachePlayback(source.resolve);
  const answers = await Promise.all(Array.from({ length: 20 }, () => resolve("v1")));
  assert.deepEqual(new Set(answers), new Set(["attempt1"]));
  assert.equal(source.calls.length, 1);
});

test("failures are passed on and never remembered", async () => {
  const source = table({ v1: "attempt1" });
  const resolve = cachePlayback(source.resolve);
  source.fail(true);
  await assert.rejects(resolve("v1"), /catalog down/);
  source.fail(false);
  assert.equal(await resolve("v1"), "attempt1");
  assert.equal(source.calls.length, 2);
});

test("the cache stays bounded, forgetting the oldest video first", async () => {
  const source = table({ a: "1", b: "2", c: "3" });
  const resolve = cachePlayback(source.resolve, { maxEntries: 2 });
  await resolve("a");
  await resolve("b");
  await resolve("c");
  await resolve("c");
  await resolve("b");
  assert.deepEqual(source.calls, ["a", "b", "c"]);
  await resolve("a");
  assert.deepEqual(source.calls, ["a", "b", "c", "a"]);
});

test("using a video keeps it in the bounded cache; the least recently used goes first", async () => {
  const source = table({ a: "1", b: "2", c: "3" });
  const resolve = cachePlayback(source.resolve, { maxEntries: 2 });
  await resolve("a");
  await resolve("b");
  await resolve("a");
  await resolve("c");
  assert.equal(await resolve("a"), "1");
  assert.deepEqual(source.calls, ["a", "b", "c"], "b went, a stayed");
});

test("while lookups fail, a video's last READY answer is served until maxStaleMs past its TTL, then the failure shows", async () => {
  const source = table({ v1: "attempt1" });
  const time = clock();
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000, maxStaleMs: 600_000, now: time.now });
  assert.equal(await resolve("v1"), "attempt1");
  source.fail(true);
  time.advance(30_000);
  assert.equal(await resolve("v1"), "attempt1", "stale, the lookup failed");
  time.advance(599_999);
  assert.equal(await resolve("v1"), "attempt1", "still within the bound");
  assert.equal(source.calls.length, 3, "every stale answer tried the lookup again");
  time.advance(1);
  await assert.rejects(resolve("v1"), /catalog down/);
  await assert.rejects(resolve("never-seen"), /catalog down/);
});

test("a stale answer is served after staleWaitMs when the lookup is slow, and the late answer is kept", async () => {
  const time = clock();
  let release!: (outputId: string) => void;
  let calls = 0;
  const resolve = cachePlayback(
    async () => {
      calls++;
      if (calls === 1) return "attempt1";
      return new Promise<string>((settle) => (release = settle));
    },
    { positiveTtlMs: 30_000, staleWaitMs: 50, now: time.now },
  );
  assert.equal(await resolve("v1"), "attempt1");
  time.advance(30_000);
  const started = performance.now();
  const answers = await Promise.all([resolve("v1"), resolve("v1"), resolve("v1")]);
  assert.deepEqual(answers, ["attempt1", "attempt1", "attempt1"]);
  assert.ok(performance.now() - started < 1_000, "answered from stale, not after the slow lookup");
  assert.equal(calls, 2, "one lookup for the three requests");
  release("attempt2");
  await new Promise((settle) => setImmediate(settle));
  assert.equal(await resolve("v1"), "attempt2", "the late answer is fresh now");
  assert.equal(calls, 2);
});

test("a lookup that answers within staleWaitMs wins over the stale answer", async () => {
  const source = table({ v1: "attempt1" });
  const time = clock();
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000, staleWaitMs: 5_000, now: time.now });
  await resolve("v1");
  source.current.set("v1", "attempt2");
  time.advance(30_000);
  assert.equal(await resolve("v1"), "attempt2");
});

test("'not playable' (a deleted video) replaces a stale answer at once and is not served stale", async () => {
  const source = table({ v1: "attempt1" });
  const time = clock();
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000, negativeTtlMs: 2_000, now: time.now });
  await resolve("v1");
  source.current.delete("v1");
  time.advance(30_000);
  assert.equal(await resolve("v1"), undefined);
  source.fail(true);
  time.advance(2_000);
  await assert.rejects(resolve("v1"), /catalog down/, "an expired 'not playable' is never served stale");
});

test("while a refresh of a stale answer is under way, only the request that started it waits for it", async () => {
  const time = clock();
  let release!: (outputId: string) => void;
  let calls = 0;
  const resolve = cachePlayback(
    async () => (++calls === 1 ? "attempt1" : new Promise<string>((settle) => (release = settle))),
    { positiveTtlMs: 30_000, staleWaitMs: 10_000, now: time.now },
  );
  await resolve("v1");
  time.advance(30_000);
  const starter = resolve("v1");
  const started = performance.now();
  assert.equal(await resolve("v1"), "attempt1");
  assert.ok(performance.now() - started < 1_000, "answered at once from stale");
  release("attempt2");
  assert.equal(await starter, "attempt2", "the starter got the refreshed answer");
  assert.equal(calls, 2);
});

test("forget: the next lookup asks again, and an answer in flight when forgotten is not kept", async () => {
  const source = table({ v1: "no captions" });
  const resolve = cachePlayback(source.resolve, { positiveTtlMs: 30_000 });
  assert.equal(await resolve("v1"), "no captions");
  source.current.set("v1", "with captions");
  resolve.forget("v1");
  assert.equal(await resolve("v1"), "with captions");

  // A lookup that started before the change answers its own caller, but is not remembered.
  let release!: () => void;
  const slow = cachePlayback(async (videoId: string) => {
    const before = source.current.get(videoId);
    await new Promise<void>((done) => (release = done));
    return before;
  });
  source.current.set("v1", "old");
  const inFlight = slow("v1");
  source.current.set("v1", "new");
  slow.forget("v1");
  release();
  assert.equal(await inFlight, "old");
  const again = slow("v1");
  release();
  assert.equal(await again, "new");
});
