import { randomBytes } from "node:crypto";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { requireTestEnv } from "@kino/testkit";
import {
  createAnalyticsStore,
  getBreakdown,
  getQoe,
  getVideoSummary,
  getVideoTimeSeries,
  listTopVideos,
  type AnalyticsStore,
  type EventRow,
} from "../src/index.ts";

const hour = Date.UTC(2026, 10, 20, 10) / 1000;
const range = { start: new Date((hour - 86_400) * 1000), end: new Date((hour + 86_400) * 1000) };

function row(overrides: Partial<EventRow> & Pick<EventRow, "video_id" | "view_id" | "viewer_id" | "event_type">): EventRow {
  return {
    event_id: randomBytes(8).toString("hex"),
    sdk_name: "kino-test",
    sdk_version: "1.0.0",
    event_time: hour,
    event_time_ms: 0,
    received_at: hour,
    sequence: 0,
    playhead_ms: 0,
    rendition: "",
    bitrate_bps: 0,
    buffer_length_ms: 0,
    startup_time_ms: 0,
    rebuffer_duration_ms: 0,
    seek_to_ms: 0,
    watch_time_ms: 0,
    rebuffer_time_ms: 0,
    played_bits: 0,
    dropped_frames: 0,
    error_code: "",
    error_message: "",
    error_fatal: 0,
    autoplay: 0,
    player_name: "",
    player_version: "",
    device_type: "desktop",
    os_name: "Linux",
    os_version: "",
    browser_name: "Chrome",
    browser_version: "120",
    country: "US",
    ...overrides,
  };
}

/** Three views of video A, one of video B: every QoE case once. */
function scenario(videoA: string, videoB: string): EventRow[] {
  const v1 = { video_id: videoA, view_id: "v1", viewer_id: "u1" };
  const v2 = { video_id: videoA, view_id: "v2", viewer_id: "u1", device_type: "mobile", browser_name: "Safari", country: "DE" };
  const v3 = { video_id: videoA, view_id: "v3", viewer_id: "u2" };
  return [
    row({ ...v1, event_type: "view_start", event_time: hour + 5 }),
    row({ ...v1, event_type: "playing", event_time: hour + 6, startup_time_ms: 500 }),
    row({ ...v1, event_type: "heartbeat", event_time: hour + 16, watch_time_ms: 10_000, played_bits: 20_000_000 }),
    row({ ...v1, event_type: "rebuffer_start", event_time: hour + 17 }),
    row({ ...v1, event_type: "rebuffer_end", event_time: hour + 18, rebuffer_duration_ms: 1000 }),
    // Crosses into the next hour: still one view of the hour it started in.
    row({ ...v1, event_type: "view_end", event_time: hour + 3700, watch_time_ms: 20_000, rebuffer_time_ms: 1000, played_bits: 40_000_000 }),
    row({ ...v2, event_type: "view_start", event_time: hour + 100 }),
    row({ ...v2, event_type: "view_end", event_time: hour + 110 }),
    row({ ...v3, event_type: "view_start", event_time: hour + 3600 }),
    row({ ...v3, event_type: "playing", event_time: hour + 3602, startup_time_ms: 1500 }),
    row({ ...v3, event_type: "error", event_time: hour + 3603, error_code: "E1", error_fatal: 0 }),
    row({ ...v3, event_type: "heartbeat", event_time: hour + 3612, watch_time_ms: 5000, played_bits: 5_000_000 }),
    row({ video_id: videoB, view_id: "w1", viewer_id: "u3", event_type: "view_start", event_time: hour + 50 }),
    // No ViewStart received: belongs to no range.
    row({ video_id: videoB, view_id: "w2", viewer_id: "u4", event_type: "heartbeat", watch_time_ms: 99_000 }),
  ];
}

const jsonEachRow = (rows: EventRow[]) => [Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n") + "\n")];

describe("analytics store on ClickHouse", () => {
  const database = `kino_analytics_store_test_${randomBytes(4).toString("hex")}`;
  let store: AnalyticsStore;
  const videoA = "video-a";
  const videoB = "video-b";
  let rows: EventRow[];

  before(async () => {
    store = createAnalyticsStore({ url: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"), database });
    const first = await store.migrate();
    assert.deepEqual(first.applied, [1]);
    rows = scenario(videoA, videoB);
    // Every event twice, in separate inserts and in another order: what a
    // redelivery or a client resend produces. No figure may change.
    await store.insertEventsJson(jsonEachRow(rows));
    await store.insertEventsJson(jsonEachRow([...rows].reverse()));
  });

  after(async () => {
    await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await store.close();
  });

  test("migrations are versioned and idempotent", async () => {
    const again = await store.migrate();
    assert.deepEqual(again, { applied: [], current: 1 });
  });

  test("duplicates collapse in the raw table", async () => {
    const result = await store.client.query({ query: `SELECT count() AS n FROM ${database}.events FINAL`, format: "JSONEachRow" });
    const [{ n }] = await result.json<{ n: string }>() as [{ n: string }];
    assert.equal(Number(n), rows.length);
  });

  test("video summary counts each view, viewer and watched millisecond once", async () => {
    assert.deepEqual(await getVideoSummary(store, { videoId: videoA, range }), { views: 3, uniqueViewers: 2, watchTimeMs: 25_000 });
    assert.deepEqual(await getVideoSummary(store, { videoId: videoB, range }), { views: 1, uniqueViewers: 1, watchTimeMs: 0 });
    const before = { start: new Date((hour - 7200) * 1000), end: new Date(hour * 1000) };
    assert.deepEqual(await getVideoSummary(store, { videoId: videoA, range: before }), { views: 0, uniqueViewers: 0, watchTimeMs: 0 });
  });

  test("time series buckets views by the hour or day they started", async () => {
    const hourly = await getVideoTimeSeries(store, { videoId: videoA, range, granularity: "hour" });
    assert.deepEqual(hourly, [
      { bucketStart: new Date(hour * 1000), totals: { views: 2, uniqueViewers: 1, watchTimeMs: 20_000 } },
      { bucketStart: new Date((hour + 3600) * 1000), totals: { views: 1, uniqueViewers: 1, watchTimeMs: 5000 } },
    ]);
    const daily = await getVideoTimeSeries(store, { videoId: videoA, range, granularity: "day" });
    assert.deepEqual(daily, [{ bucketStart: new Date(Date.UTC(2026, 10, 20)), totals: { views: 3, uniqueViewers: 2, watchTimeMs: 25_000 } }]);
  });

  test("top videos rank by views", async () => {
    assert.deepEqual(await listTopVideos(store, { range, limit: 10 }), [
      { videoId: videoA, views: 3, uniqueViewers: 2 },
      { videoId: videoB, views: 1, uniqueViewers: 1 },
    ]);
    assert.equal((await listTopVideos(store, { range, limit: 1 })).length, 1);
  });

  test("breakdown splits views by country and by browser", async () => {
    assert.deepEqual(await getBreakdown(store, { videoId: videoA, range, dimension: "country", limit: 10 }), [
      { value: "US", totals: { views: 2, uniqueViewers: 2, watchTimeMs: 25_000 } },
      { value: "DE", totals: { views: 1, uniqueViewers: 1, watchTimeMs: 0 } },
    ]);
    const browsers = await getBreakdown(store, { range, dimension: "browser", limit: 10 });
    assert.deepEqual(browsers.map((b) => [b.value, b.totals.views]), [["Chrome", 3], ["Safari", 1]]);
  });

  test("QoE figures follow their definitions", async () => {
    const qoe = await getQoe(store, { videoId: videoA, range });
    assert.deepEqual(qoe, {
      views: 3,
      startedViews: 2,
      averageStartupTimeMs: 1000,
      rebufferRatio: 1000 / 26_000,
      rebufferCount: 1,
      exitsBeforeStart: 1,
      errorRate: 1 / 3,
      weightedAverageBitrateBps: 45_000_000 / 25,
    });
  });

  test("a bad range is refused before reaching ClickHouse", async () => {
    await assert.rejects(getVideoSummary(store, { videoId: videoA, range: { start: range.end, end: range.start } }), /before its end/);
    await assert.rejects(
      getVideoTimeSeries(store, { videoId: videoA, range: { start: new Date(0), end: new Date(40 * 86_400_000) }, granularity: "hour" }),
      /longer than 31 days/,
    );
  });

  test("user text in a video id is a literal, never SQL", async () => {
    assert.deepEqual(await getVideoSummary(store, { videoId: "x' OR 1=1 --\\", range }), { views: 0, uniqueViewers: 0, watchTimeMs: 0 });
  });
});
