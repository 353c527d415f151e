import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, launchChromium, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { payloadCase } from "./support/beacon-requests.ts";
import { PageServer } from "./support/page-server.ts";
import { attachAndPlay } from "./support/player-page.ts";
import { RecordingProxy } from "./support/recording-proxy.ts";
import { assertStoredExactlyOnce } from "./support/stored-view.ts";
import { TestCollector, testCollectorConfig } from "./support/test-collector.ts";

let dir: TempDir;
let server: PageServer;
let browser: Browser;
let collector: TestCollector;
let proxy: RecordingProxy;

before(async () => {
  dir = await createTempDir("kino-sdk-pagehide-");
  await makeClip(join(dir.path, "clip.mp4"), { seconds: 3 });
  [server, browser, collector] = await Promise.all([
    PageServer.start({ body: `<video id="video" muted playsinline></video>`, mediaDir: dir.path }),
    launchChromium(),
    TestCollector.start(testCollectorConfig("sdkhide")),
  ]);
  proxy = await RecordingProxy.start(collector.url);
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
  await collector?.destroy();
  await dir?.remove();
});

test("leaving the page ends the view and sendBeacon delivers the final view_end", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  // A flush interval longer than the test: only the explicit flush and the page hide send anything.
  await attachAndPlay(page, { collectorUrl: proxy.url, videoId: randomUUID(), src: "/media/clip.mp4", flushIntervalMs: 60_000 });
  await page.waitForFunction(() => window.seen.includes("playing"));
  const viewId = await page.evaluate(async () => {
    await window.kino.flush();
    return window.kino.viewId;
  });
  assert.equal(proxy.batches.length, 1);

  await page.goto("about:blank");

  const stored = await collector.eventsOnceStored(proxy.batches[0]!.events.length + 1);
  assert.deepEqual(
    proxy.batches.map((b) => [b.fetchMode, b.contentType.toLowerCase()]),
    [
      ["cors", "text/plain;charset=utf-8"],
      ["no-cors", "text/plain;charset=utf-8"],
    ],
    "a fetch, then a beacon on page hide",
  );
  const beaconed = proxy.batches[1]!.events;
  assert.equal(payloadCase(beaconed.at(-1)!), "viewEnd");
  assertStoredExactlyOnce(stored, proxy.batches.flatMap((b) => b.events), viewId);
  assert.equal(stored.at(-1)?.event_type, "view_end");
});
