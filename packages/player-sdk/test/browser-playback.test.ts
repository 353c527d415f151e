import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, ffmpeg, launchChromium, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { distinctEvents, payloadCase, recordBeacons, storedType } from "./support/beacon-requests.ts";
import { PageServer } from "./support/page-server.ts";
import { attachAndPlay } from "./support/player-page.ts";
import { assertStoredExactlyOnce } from "./support/stored-view.ts";
import { TestCollector, testCollectorConfig } from "./support/test-collector.ts";

let dir: TempDir;
let collector: TestCollector;
let server: PageServer;
let browser: Browser;

before(async () => {
  dir = await createTempDir("kino-sdk-playback-");
  // 6 s with the index up front, so the browser can play while the file arrives.
  const raw = await makeClip(join(dir.path, "raw.mp4"), { seconds: 6 });
  await ffmpeg(["-i", raw, "-c", "copy", "-movflags", "+faststart", join(dir.path, "clip.mp4")]);
  const size = (await stat(join(dir.path, "clip.mp4"))).size;
  [collector, browser] = await Promise.all([TestCollector.start(testCollectorConfig("sdkplay")), launchChromium()]);
  server = await PageServer.start({
    body: `<video id="video" muted playsinline></video>`,
    mediaDir: dir.path,
    // About two seconds of media, then nothing until the test says so: playback stalls on an empty buffer.
    stall: { file: "clip.mp4", afterBytes: Math.floor(size * 0.35) },
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await collector?.destroy();
  await dir?.remove();
});

test("play, stall, seek and detach in Chromium land in ClickHouse exactly as the SDK sent them", async () => {
  const page = await browser.newPage();
  const requests = recordBeacons(page.context(), collector.url);
  await page.goto(server.url);
  const videoId = randomUUID();
  await attachAndPlay(page, { collectorUrl: collector.url, videoId, src: "/media/clip.mp4", heartbeatMs: 1000, flushIntervalMs: 300 });
  // A stall after the first frame, then playback again.
  await page.waitForFunction(() => window.seen.join(",").includes("playing,waiting"), undefined, { timeout: 20_000 });
  await page.waitForTimeout(600);
  server.releaseStall();
  await page.waitForFunction(() => window.seen.join(",").includes("playing,waiting,playing"));
  await page.evaluate(() => {
    (document.getElementById("video") as HTMLVideoElement).currentTime = 0.5;
  });
  await page.waitForFunction(() => window.seen.includes("seeked"));
  await page.waitForTimeout(1200);
  const { viewId, stats } = await page.evaluate(async () => {
    window.kino.detach();
    await window.kino.flush();
    return { viewId: window.kino.viewId, stats: window.kino.stats() };
  });

  const sent = distinctEvents(requests);
  assert.deepEqual(stats, { queued: 0, dropped: 0, delivered: sent.length, retries: 0 });
  const stored = await collector.eventsOnceStored(sent.length);

  // Every event once, nothing else.
  assertStoredExactlyOnce(stored, sent, viewId);
  const countByType = (types: string[]) => types.reduce<Record<string, number>>((counts, t) => ({ ...counts, [t]: (counts[t] ?? 0) + 1 }), {});
  assert.deepEqual(countByType(stored.map((e) => e.event_type)), countByType(sent.map((e) => storedType(payloadCase(e)))));

  // The view's story, in order.
  const types = stored.map((e) => e.event_type).filter((t) => t !== "heartbeat" && t !== "rendition_change");
  assert.deepEqual(types.slice(0, 4), ["view_start", "playing", "rebuffer_start", "rebuffer_end"]);
  assert.ok(types.includes("seek"));
  assert.equal(types.at(-1), "view_end");
  assert.equal(stored.at(-1)?.event_type, "view_end");
  assert.ok(stored.some((e) => e.event_type === "heartbeat"));

  // The figures survive the trip: startup, stall duration, seek target and watch time.
  const byType = (type: string) => stored.filter((e) => e.event_type === type);
  const sentOf = (payload: string) => sent.filter((e) => payloadCase(e) === payload).map((e) => e[payload] as Record<string, string | number>);
  assert.ok(byType("playing")[0]!.startup_time_ms > 0);
  assert.equal(byType("playing")[0]!.startup_time_ms, sentOf("playing")[0]!.startupTimeMs);
  const stall = byType("rebuffer_end")[0]!.rebuffer_duration_ms;
  assert.ok(stall >= 600, `stall of ${stall} ms`);
  assert.equal(
    byType("rebuffer_end").reduce((sum, e) => sum + e.rebuffer_duration_ms, 0),
    sentOf("rebufferEnd").reduce((sum, e) => sum + Number(e.durationMs), 0),
  );
  // The element lands on a frame boundary near the 0.5 s asked for.
  const seekTo = byType("seek")[0]!.seek_to_ms;
  assert.ok(Math.abs(seekTo - 500) <= 40, `seek to ${seekTo} ms`);
  assert.equal(seekTo, Number(sentOf("seek")[0]!.toMs));
  const watchTime = byType("view_end")[0]!.watch_time_ms;
  assert.equal(watchTime, Number((sentOf("viewEnd")[0]!.counters as unknown as Record<string, string>).watchTimeMs));
  assert.ok(watchTime > 1500, `watch time ${watchTime} ms`);
  assert.deepEqual(byType("rendition_change").map((e) => e.rendition), sentOf("renditionChange").map((e) => e.rendition));
});
