import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { distinctEvents, payloadCase, recordBeacons } from "./support/beacon-requests.ts";
import { launchChromium } from "./support/chromium.ts";
import { findFreePort } from "@kino/stack";
import { PageServer } from "./support/page-server.ts";
import { attachAndPlay } from "./support/player-page.ts";
import { assertStoredExactlyOnce } from "./support/stored-view.ts";
import { TestCollector, testCollectorConfig } from "./support/test-collector.ts";

let dir: TempDir;
let server: PageServer;
let browser: Browser;
let collector: TestCollector | undefined;

before(async () => {
  dir = await createTempDir("kino-sdk-retry-");
  await makeClip(join(dir.path, "clip.mp4"), { seconds: 3 });
  [server, browser] = await Promise.all([PageServer.start({ body: `<video id="video" muted playsinline></video>`, mediaDir: dir.path }), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await collector?.destroy();
  await dir?.remove();
});

test("events queued while the collector is down are retried and delivered once when it is back", async () => {
  const port = await findFreePort();
  const collectorUrl = `http://127.0.0.1:${port}`;
  const page = await browser.newPage();
  const requests = recordBeacons(page.context(), collectorUrl);
  await page.goto(server.url);
  await attachAndPlay(page, { collectorUrl, videoId: randomUUID(), src: "/media/clip.mp4", heartbeatMs: 500, flushIntervalMs: 200, fastRetries: true });

  // Nobody listens on the port yet: every attempt fails and the events wait.
  await page.waitForFunction(() => window.kino.stats().retries >= 2, undefined, { timeout: 10_000 });
  const { viewId, queued } = await page.evaluate(() => {
    window.kino.detach();
    return { viewId: window.kino.viewId, queued: window.kino.stats().queued };
  });
  assert.ok(queued >= 3, `${queued} events queued`);

  collector = await TestCollector.start(testCollectorConfig("sdkretry", `127.0.0.1:${port}`));
  await page.waitForFunction(() => window.kino.stats().queued === 0, undefined, { timeout: 10_000 });
  const stats = await page.evaluate(() => window.kino.stats());

  const sent = distinctEvents(requests);
  assert.ok(requests.length > stats.retries, "the same events were attempted more than once");
  assert.equal(stats.delivered, sent.length);
  assert.equal(stats.dropped, 0);
  const stored = await collector.eventsOnceStored(sent.length);
  assertStoredExactlyOnce(stored, sent, viewId);
  assert.deepEqual([payloadCase(sent[0]!), payloadCase(sent.at(-1)!)], ["viewStart", "viewEnd"]);
});
