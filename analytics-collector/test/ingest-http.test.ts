import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { getQoe, getVideoSummary } from "@kino/analytics-store";
import { IngestResponseSchema } from "@kino/proto/analytics/v1";
import { binaryBatch, expectedTotals, jsonBatch, jsonEvent, sdkView, type ViewPlan } from "./support/sdk-views.ts";
import { eventually, startTestCollector, type RunningCollector } from "./support/test-collector.ts";

const chromeOnLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

describe("POST /v1/events", () => {
  let c: RunningCollector;
  const range = { start: new Date(Date.now() - 86_400_000), end: new Date(Date.now() + 86_400_000) };

  before(async () => {
    c = await startTestCollector("http", { KINO_COLLECTOR_CORS_ORIGINS: "https://player.example", KINO_COLLECTOR_MAX_BATCH_EVENTS: "1000", KINO_COLLECTOR_MAX_BODY_BYTES: "2097152" });
  });
  after(() => c.stop());

  const post = (body: string | Uint8Array, contentType = "application/json", headers: Record<string, string> = {}) =>
    fetch(`${c.url}/v1/events`, { method: "POST", body: typeof body === "string" ? body : Buffer.from(body), headers: { "content-type": contentType, "user-agent": chromeOnLinux, ...headers } });

  test("each acknowledgement names its own batch and counts", async () => {
    const events = sdkView({ videoId: `video-ack-${Date.now()}`, viewerId: "viewer-ack", heartbeats: 4 });
    const answers = [];
    for (const [slice, batchId] of [[events.slice(0, 2), undefined], [events.slice(2, 4), "ack-1"], [events.slice(4, 6), undefined], [events.slice(6, 7), undefined]] as const) {
      const response = await post(jsonBatch([...slice], batchId));
      answers.push(await response.json());
    }
    assert.deepEqual(answers, [
      { batchId: "", acceptedCount: 2, rejected: [], clampedCount: 0 },
      { batchId: "ack-1", acceptedCount: 2, rejected: [], clampedCount: 0 },
      { batchId: "", acceptedCount: 2, rejected: [], clampedCount: 0 },
      { batchId: "", acceptedCount: 1, rejected: [], clampedCount: 0 },
    ]);
  });

  test("SDK-shaped batches in JSON and protobuf land in ClickHouse with exact counts", async () => {
    const videoId = `video-${Date.now()}`;
    const plans: ViewPlan[] = [
      { videoId, viewerId: "viewer-a", heartbeats: 3, startupMs: 400 },
      { videoId, viewerId: "viewer-a", heartbeats: 6, rebuffers: 2, startupMs: 1200 },
      { videoId, viewerId: "viewer-b", heartbeats: 1, error: true, startupMs: 800 },
      { videoId, viewerId: "viewer-c", heartbeats: 0, exitBeforeStart: true },
    ];
    const views = plans.map((plan) => sdkView(plan));
    const events = views.flat();
    const expected = expectedTotals(plans, events.length);

    const json = await post(jsonBatch(events.slice(0, 10), "json-1"), "text/plain;charset=UTF-8", { origin: "https://player.example" });
    assert.equal(json.status, 200);
    assert.equal(json.headers.get("access-control-allow-origin"), "https://player.example");
    assert.deepEqual(await json.json(), { batchId: "json-1", acceptedCount: 10, rejected: [], clampedCount: 0 });

    const binary = await post(binaryBatch(events.slice(10), "bin-1"), "application/x-protobuf");
    assert.equal(binary.status, 200);
    const ack = fromBinary(IngestResponseSchema, new Uint8Array(await binary.arrayBuffer()));
    assert.equal(ack.acceptedCount, events.length - 10);
    assert.equal(ack.batchId, "bin-1");

    // A resend of a batch (the player never saw the acknowledgement) changes nothing.
    assert.equal((await post(jsonBatch(events.slice(0, 10)))).status, 200);

    await eventually(() => getVideoSummary(c.store, { videoId, range }).catch(() => null), (s) => s?.views === expected.views);
    assert.deepEqual(await getVideoSummary(c.store, { videoId, range }), {
      views: expected.views,
      uniqueViewers: expected.uniqueViewers,
      watchTimeMs: expected.watchTimeMs,
    });
    const qoe = await getQoe(c.store, { videoId, range });
    assert.equal(qoe.rebufferCount, expected.rebufferCount);
    assert.equal(qoe.exitsBeforeStart, expected.exitsBeforeStart);
    assert.equal(qoe.startedViews, 3);
    assert.equal(qoe.averageStartupTimeMs, (400 + 1200 + 800) / 3);
    assert.equal(qoe.errorRate, 1 / 4);
    assert.equal(qoe.weightedAverageBitrateBps, 2_500_000);
    const stored = await c.store.client.query({
      query: `SELECT uniqExact(event_id) AS n, any(device_type) AS device, any(browser_name) AS browser FROM ${c.store.database}.events FINAL WHERE video_id = '${videoId}'`,
      format: "JSONEachRow",
    });
    assert.deepEqual(await stored.json(), [{ n: String(expected.events), device: "desktop", browser: "Chrome" }]);
  });

  test("malformed JSON is a 400 that says so", async () => {
    const response = await post('{"events": [');
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "invalid_argument");
    assert.match(body.error.message, /not valid JSON/);
  });

  test("invalid UTF-8 is a 400", async () => {
    const bytes = Buffer.concat([Buffer.from('{"events":[{"eventId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]);
    const response = await post(bytes);
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /UTF-8/);
  });

  test("an event with wrong types, one without video id and one a year ahead: bad ones named, neighbours kept", async () => {
    const videoId = `video-mixed-${Date.now()}`;
    const good = jsonEvent(videoId);
    const wrongTypes = jsonEvent(videoId, { sequence: "many", heartbeat: { bitrateBps: true } });
    delete wrongTypes.viewStart;
    const noVideo = jsonEvent(videoId, { eventId: "no-video" });
    delete noVideo.videoId;
    const future = jsonEvent(videoId, { clientTime: new Date(Date.now() + 365 * 86_400_000).toISOString() });
    const response = await post(JSON.stringify({ events: [good, wrongTypes, noVideo, future] }));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { acceptedCount: number; clampedCount: number; rejected: { index: number; eventId: string; reason: string }[] };
    assert.equal(body.acceptedCount, 2);
    assert.equal(body.clampedCount, 1);
    assert.deepEqual(body.rejected.map((r) => [r.index, r.eventId]), [[1, wrongTypes.eventId], [2, "no-video"]]);
    assert.match(body.rejected[0]?.reason ?? "", /sequence/);
    assert.match(body.rejected[1]?.reason ?? "", /video_id is required/);

    await eventually(() => storedIds(videoId), (ids) => ids.length === 2);
    const rows = await c.store.client.query({
      query: `SELECT event_id, toUnixTimestamp(event_time) AS t FROM ${c.store.database}.events WHERE video_id = '${videoId}' ORDER BY t`,
      format: "JSONEachRow",
    });
    const stored = await rows.json<{ event_id: string; t: string }>();
    assert.deepEqual(stored.map((r) => r.event_id), [good.eventId, future.eventId]);
    // Clamped to at most 5 minutes ahead of the collector's clock.
    assert.ok(Number(stored[1]?.t) <= Date.now() / 1000 + 300 + 1);
  });

  test("a batch of 1,000 events (a body in many chunks) lands whole", async () => {
    const videoId = `video-large-${Date.now()}`;
    const events = sdkView({ videoId, viewerId: "viewer-large", heartbeats: 997 });
    // An unknown field pads each event: the body outgrows uWS's 512 KiB receive buffer, so it must come in several chunks.
    const padded = (JSON.parse(jsonBatch(events, "large-1")) as { events: Record<string, unknown>[] });
    for (const event of padded.events) event.note = "n".repeat(400);
    const body = JSON.stringify(padded);
    assert.ok(body.length > 768 * 1024);
    const response = await post(body);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { batchId: "large-1", acceptedCount: 1000, rejected: [], clampedCount: 0 });
    const ids = await eventually(() => storedIds(videoId), (stored) => stored.length === 1000);
    assert.deepEqual(new Set(ids), new Set(events.map((e) => e.eventId)));
  });

  test("a batch whose every event is bad is a 400 listing them", async () => {
    const response = await post(JSON.stringify({ events: [{ eventId: 7 }, "nope"] }));
    assert.equal(response.status, 400);
    const body = (await response.json()) as { rejected: unknown[] };
    assert.equal(body.rejected.length, 2);
  });

  test("a 1 MiB body over the limit is a 413, and the collector keeps serving", async () => {
    const small = await startTestCollector("http_small");
    try {
      const response = await fetch(`${small.url}/v1/events`, { method: "POST", body: "x".repeat(1024 * 1024), headers: { "content-type": "application/json" } });
      assert.equal(response.status, 413);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /exceeds the limit of 524288 bytes/);
      const next = await fetch(`${small.url}/v1/events`, { method: "POST", body: JSON.stringify({ events: [jsonEvent("v")] }), headers: { "content-type": "application/json" } });
      assert.equal(next.status, 200);
    } finally {
      await small.stop();
    }
  });

  test("a batch of 10,000 events is a 413 naming the limit", async () => {
    const events = Array.from({ length: 10_000 }, () => ({ eventId: "e", viewStart: {} }));
    const response = await post(JSON.stringify({ events }));
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /10000 events; at most 1000/);
  });

  test("an unsupported content type is a 415", async () => {
    const response = await post("<xml/>", "application/xml");
    assert.equal(response.status, 415);
  });

  test("CORS: player origins pass the preflight, others are refused", async () => {
    const ok = await fetch(`${c.url}/v1/events`, { method: "OPTIONS", headers: { origin: "https://player.example", "access-control-request-method": "POST" } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://player.example");
    assert.match(ok.headers.get("access-control-allow-methods") ?? "", /POST/);
    const other = await fetch(`${c.url}/v1/events`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    assert.equal(other.status, 403);
    const accepted = await post(JSON.stringify({ events: [jsonEvent("v")] }), "text/plain", { origin: "https://player.example" });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.headers.get("access-control-allow-origin"), "https://player.example");
    assert.equal(accepted.headers.get("access-control-expose-headers"), "Retry-After");
    const post403 = await post(JSON.stringify({ events: [jsonEvent("v")] }), "text/plain", { origin: "https://evil.example" });
    assert.equal(post403.status, 403);
  });

  test("health and metrics are served on the same port", async () => {
    const health = await fetch(`${c.url}/healthz`);
    assert.equal(health.status, 200);
    const report = (await health.json()) as { ok: boolean; sink: { running: boolean } };
    assert.equal(report.ok, true);
    assert.equal(report.sink.running, true);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    assert.match(metrics, /kino_collector_events_total\{result="accepted"/);
  });

  async function storedIds(videoId: string): Promise<string[]> {
    const result = await c.store.client
      .query({ query: `SELECT event_id FROM ${c.store.database}.events FINAL WHERE video_id = '${videoId}'`, format: "JSONEachRow" })
      .catch(() => undefined);
    return result ? (await result.json<{ event_id: string }>()).map((r) => r.event_id) : [];
  }
});
