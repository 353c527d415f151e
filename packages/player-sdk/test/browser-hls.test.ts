import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, ffmpeg, launchChromium, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { describeRequests, distinctEvents, recordBeacons } from "./support/beacon-requests.ts";
import { PageServer } from "./support/page-server.ts";
import { assertStoredExactlyOnce } from "./support/stored-view.ts";
import { TestCollector, testCollectorConfig } from "./support/test-collector.ts";

let dir: TempDir;
let collector: TestCollector;
let server: PageServer;
let browser: Browser;

/** A two-rung HLS ladder (90p and 180p, 1 s segments) of a 4 s clip. */
async function makeLadder(path: string): Promise<void> {
  const clip = await makeClip(join(path, "clip.mp4"), { seconds: 4, audio: false });
  await ffmpeg([
    "-i", clip,
    "-filter_complex", "[0:v]split=2[low][high];[low]scale=160:90[low90]",
    "-map", "[low90]", "-map", "[high]",
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-b:v:0", "150k", "-b:v:1", "600k", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
    "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
    "-master_pl_name", "master.m3u8", "-var_stream_map", "v:0 v:1",
    "-hls_segment_filename", join(path, "rung%v_%03d.ts"), join(path, "rung%v.m3u8"),
  ]);
}

before(async () => {
  dir = await createTempDir("kino-sdk-hls-");
  await makeLadder(dir.path);
  [collector, browser, server] = await Promise.all([
    TestCollector.start(testCollectorConfig("sdkhls")),
    launchChromium(),
    PageServer.start({ body: `<video id="video" muted playsinline></video>`, mediaDir: dir.path }),
  ]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await collector?.destroy();
  await dir?.remove();
});

test("with hls.js, a switch of level is a rendition change and heartbeats carry the level's bitrate", async () => {
  const page = await browser.newPage();
  const requests = recordBeacons(page.context(), collector.url);
  await page.goto(server.url);
  await page.evaluate(
    ({ collectorUrl, videoId }) => {
      const video = document.getElementById("video") as HTMLVideoElement;
      // Start on the lowest rung and let only the test choose another.
      const hls = new Hls({ startLevel: 0, abrEwmaDefaultEstimate: 1, capLevelToPlayerSize: false });
      Object.assign(window, { hls, kino: KinoAnalytics.attach(video, { collectorUrl, videoId, hls, heartbeatMs: 400, flushIntervalMs: 300 }) });
      hls.loadSource("/media/master.m3u8");
      hls.attachMedia(video);
      void video.play();
    },
    { collectorUrl: collector.url, videoId: randomUUID() },
  );
  await page.waitForFunction(() => (document.getElementById("video") as HTMLVideoElement).currentTime > 0.3);
  const high = await page.evaluate(() => {
    const hls = (window as unknown as { hls: InstanceType<typeof Hls> }).hls;
    const top = hls.levels.length - 1;
    hls.currentLevel = top;
    const level = hls.levels[top]!;
    return { bitrate: level.bitrate, height: level.height };
  });
  await page.waitForFunction(() => (window as unknown as { hls: InstanceType<typeof Hls> }).hls.loadLevel > 0 && (document.getElementById("video") as HTMLVideoElement).videoHeight === 180, undefined, { timeout: 10_000 });
  await page.waitForTimeout(900);
  const viewId = await page.evaluate(async () => {
    window.kino.detach();
    await window.kino.flush();
    return window.kino.viewId;
  });
  // flush() also resolves when the collector asked for a retry (a 503 on a loaded host): wait for that retry too.
  await page.waitForFunction(() => window.kino.stats().queued === 0, undefined, { timeout: 20_000 });
  const stats = await page.evaluate(() => window.kino.stats());

  const sent = distinctEvents(requests);
  assert.equal(stats.delivered, sent.length, `every event sent was acknowledged\n${describeRequests(requests)}`);
  const stored = await collector.eventsOnceStored(sent.length, 30_000, () => describeRequests(requests));
  assertStoredExactlyOnce(stored, sent, viewId);
  const renditions = stored.filter((e) => e.event_type === "rendition_change");
  assert.deepEqual(renditions.at(-1) && [renditions.at(-1)!.rendition, renditions.at(-1)!.bitrate_bps], [`${high.height}p`, high.bitrate]);
  assert.ok(renditions.length >= 2, "the starting rung, then the switch");
  const lastBeat = stored.filter((e) => e.event_type === "heartbeat").at(-1);
  assert.equal(lastBeat?.bitrate_bps, high.bitrate);
  assert.equal(lastBeat?.rendition, "180p");
});
