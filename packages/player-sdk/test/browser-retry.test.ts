import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, launchChromium, makeClip, type TempDir } from "@kino/testkit";
import { connect } from "nats";
import type { Browser } from "playwright-core";
import { distinctEvents, payloadCase, recordBeacons } from "./support/beacon-requests.ts";
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

test("a full buffer's 503 holds the SDK back for its Retry-After, read across origins; once there is room, every event is taken once", async () => {
  // The sink is off, so nothing drains the 1 MiB stream once it is filled.
  const full = await TestCollector.start(testCollectorConfig("sdkfull", undefined, { KINO_COLLECTOR_BUFFER_MAX_BYTES: String(1024 * 1024), KINO_COLLECTOR_RUN_SINK: "false" }));
  const nc = await connect({ servers: full.config.natsUrl });
  try {
    const js = nc.jetstream();
    for (let size = 512 * 1024; size >= 64; ) {
      await js.publish(full.config.subject, new Uint8Array(size)).catch(() => (size = Math.floor(size / 2)));
    }
    const page = await browser.newPage();
    const requests = recordBeacons(page.context(), full.url);
    await page.goto(server.url);
    assert.notEqual(new URL(server.url).origin, new URL(full.url).origin, "the page and the collector are on different origins");
    // Its own backoff would wait 0.2 to 1.6 s: the 2 s between attempts can only come from Retry-After.
    await attachAndPlay(page, { collectorUrl: full.url, videoId: randomUUID(), src: "/media/clip.mp4", heartbeatMs: 500, flushIntervalMs: 200, fastRetries: true });
    await page.waitForFunction(() => window.kino.stats().retries >= 3, undefined, { timeout: 20_000 });
    const refused = requests.slice(0, 3).map((r) => r.sentAt);
    const { viewId } = await page.evaluate(() => {
      window.kino.detach();
      return { viewId: window.kino.viewId };
    });
    const gaps = refused.slice(1).map((at, i) => at - refused[i]!);
    assert.ok(gaps.every((gap) => gap >= 1900), `attempts ${gaps.join(" ms, ")} ms apart; Retry-After asks for 2000`);

    const jsm = await nc.jetstreamManager();
    await jsm.streams.purge(full.config.streamName);
    await page.waitForFunction(() => window.kino.stats().queued === 0, undefined, { timeout: 15_000 });
    const stats = await page.evaluate(() => window.kino.stats());
    const sent = distinctEvents(requests);
    assert.equal(stats.delivered, sent.length);
    assert.equal(stats.dropped, 0);
    const buffered: string[] = [];
    const info = await jsm.streams.info(full.config.streamName);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(full.config.streamName, { seq });
      for (const line of new TextDecoder().decode(message.data).split("\n").filter(Boolean)) {
        const row = JSON.parse(line) as { event_id: string; view_id: string };
        assert.equal(row.view_id, viewId);
        buffered.push(row.event_id);
      }
    }
    assert.deepEqual(buffered.sort(), sent.map((e) => e.eventId).sort(), "each event the SDK sent is buffered exactly once");
  } finally {
    await nc.close();
    await full.destroy();
  }
});
