import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Dimension, Granularity, type AudienceTotals } from "@kino/proto/analytics/v1";
import { startAnalyticsTestStack, type AnalyticsClient, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";
import { collectorRows, heartbeatMs, rebufferMs, storeRows, type ViewPlan } from "./support/sdk-views.ts";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** A whole UTC hour, so hourly and daily buckets are easy to name. */
const t0 = Date.UTC(2026, 9, 5, 10);
const range = { startTime: timestampFromMs(t0), endTime: timestampFromMs(t0 + 2 * dayMs) };

const desktopChrome = { deviceType: "desktop", browserName: "Chrome", osName: "Linux" };
const mobileSafari = { deviceType: "mobile", browserName: "Safari", osName: "iOS" };
const desktopFirefox = { deviceType: "desktop", browserName: "Firefox", osName: "Windows" };
const tabletChrome = { deviceType: "tablet", browserName: "Chrome", osName: "Android" };

let stack: AnalyticsTestStack;
let alice: AnalyticsClient;
let bob: AnalyticsClient;
let videoA: string;
let videoB: string;
let videoC: string;
let plansA: ViewPlan[];

before(async () => {
  stack = await startAnalyticsTestStack();
  alice = stack.analyticsAs("alice");
  bob = stack.analyticsAs("bob");
  [videoA, videoB, videoC] = await Promise.all([stack.createVideo("alice"), stack.createVideo("alice"), stack.createVideo("bob")]);
  plansA = [
    { videoId: videoA, viewerId: "u1", startMs: t0 + 5 * 60_000, heartbeats: 3, startupMs: 400, rebuffers: 2, bitrateBps: 2_000_000, device: desktopChrome, country: "US" },
    { videoId: videoA, viewerId: "u1", startMs: t0 + 20 * 60_000, heartbeats: 1, startupMs: 1200, error: true, bitrateBps: 1_000_000, device: mobileSafari, country: "DE" },
    { videoId: videoA, viewerId: "u2", startMs: t0 + 70 * 60_000, heartbeats: 0, exitBeforeStart: true, device: desktopFirefox, country: "US" },
    { videoId: videoA, viewerId: "u3", startMs: t0 + dayMs + 2 * hourMs, heartbeats: 2, startupMs: 800, rebuffers: 1, bitrateBps: 4_000_000, device: tabletChrome, country: "FR" },
  ];
  const others: ViewPlan[] = [
    // Before the range: counted nowhere below.
    { videoId: videoA, viewerId: "u9", startMs: t0 - 2 * dayMs, heartbeats: 5, device: desktopChrome, country: "US" },
    { videoId: videoB, viewerId: "u4", startMs: t0 + 30 * 60_000, heartbeats: 1, device: desktopChrome, country: "US" },
    ...["b1", "b2", "b3"].map((viewerId): ViewPlan => ({ videoId: videoC, viewerId, startMs: t0 + 40 * 60_000, heartbeats: 1, device: desktopChrome, country: "US" })),
  ];
  // Sent twice, as a player resends a batch whose answer it never saw: no figure may change.
  const rows = collectorRows([...plansA, ...others]);
  await storeRows(stack.store, rows);
  await storeRows(stack.store, [...rows].reverse());
});
after(() => stack.close());

const figures = (totals: AudienceTotals | undefined) => [totals?.views, totals?.uniqueViewers, totals?.watchTimeMs];

test("the summary counts every view, viewer and watched millisecond sent, once", async () => {
  const summary = await alice.getVideoSummary({ videoId: videoA, range });
  assert.equal(summary.videoId, videoA);
  const watched = plansA.reduce((sum, plan) => sum + plan.heartbeats * heartbeatMs, 0);
  assert.deepEqual(figures(summary.totals), [4n, 3n, BigInt(watched)]);
  const empty = await alice.getVideoSummary({ videoId: videoB, range: { startTime: timestampFromMs(t0 - dayMs), endTime: timestampFromMs(t0) } });
  assert.equal(empty.totals?.views, 0n);
});

test("the time series puts each view in the UTC hour or day it started", async () => {
  const hourly = await alice.getVideoTimeSeries({ videoId: videoA, range, granularity: Granularity.HOUR });
  assert.deepEqual(
    hourly.points.map((p) => [timestampDate(p.bucketStartTime!).getTime(), ...figures(p.totals)]),
    [
      [t0, 2n, 1n, BigInt(4 * heartbeatMs)],
      [t0 + hourMs, 1n, 1n, 0n],
      [t0 + dayMs + 2 * hourMs, 1n, 1n, BigInt(2 * heartbeatMs)],
    ],
  );
  const daily = await alice.getVideoTimeSeries({ videoId: videoA, range });
  const dayStart = Date.UTC(2026, 9, 5);
  assert.deepEqual(
    daily.points.map((p) => [timestampDate(p.bucketStartTime!).getTime(), ...figures(p.totals)]),
    [
      [dayStart, 3n, 2n, BigInt(4 * heartbeatMs)],
      [dayStart + dayMs, 1n, 1n, BigInt(2 * heartbeatMs)],
    ],
  );
});

test("top videos rank the caller's own videos only", async () => {
  const top = await alice.listTopVideos({ range });
  assert.deepEqual(
    top.videos.map((v) => [v.videoId, v.views, v.uniqueViewers]),
    [
      [videoA, 4n, 3n],
      [videoB, 1n, 1n],
    ],
  );
  assert.deepEqual((await alice.listTopVideos({ range, pageSize: 1 })).videos.map((v) => v.videoId), [videoA]);
  assert.deepEqual((await bob.listTopVideos({ range })).videos.map((v) => [v.videoId, v.views, v.uniqueViewers]), [[videoC, 3n, 3n]]);
  assert.deepEqual((await stack.analyticsAs("carol").listTopVideos({ range })).videos, [], "no videos, no ranking");
});

test("breakdowns split a video's views by device, browser, operating system and country", async () => {
  const rows = async (dimension: Dimension, videoId = videoA, client = alice) =>
    (await client.getBreakdown({ videoId, range, dimension })).rows.map((r) => [r.value, ...figures(r.totals)]);
  assert.deepEqual(await rows(Dimension.DEVICE), [
    ["desktop", 2n, 2n, BigInt(3 * heartbeatMs)],
    ["mobile", 1n, 1n, BigInt(heartbeatMs)],
    ["tablet", 1n, 1n, BigInt(2 * heartbeatMs)],
  ]);
  assert.deepEqual(await rows(Dimension.BROWSER), [
    ["Chrome", 2n, 2n, BigInt(5 * heartbeatMs)],
    ["Firefox", 1n, 1n, 0n],
    ["Safari", 1n, 1n, BigInt(heartbeatMs)],
  ]);
  assert.deepEqual((await rows(Dimension.OS)).map((r) => r[0]), ["Android", "Linux", "Windows", "iOS"]);
  assert.deepEqual(await rows(Dimension.COUNTRY), [
    ["US", 2n, 2n, BigInt(3 * heartbeatMs)],
    ["DE", 1n, 1n, BigInt(heartbeatMs)],
    ["FR", 1n, 1n, BigInt(2 * heartbeatMs)],
  ]);
  // Without a video: all of the caller's videos (A and B), none of Bob's three US views.
  assert.deepEqual(await rows(Dimension.COUNTRY, ""), [
    ["US", 3n, 3n, BigInt(4 * heartbeatMs)],
    ["DE", 1n, 1n, BigInt(heartbeatMs)],
    ["FR", 1n, 1n, BigInt(2 * heartbeatMs)],
  ]);
  assert.deepEqual(await rows(Dimension.COUNTRY, "", bob), [["US", 3n, 3n, BigInt(3 * heartbeatMs)]]);
  const firstOnly = await alice.getBreakdown({ videoId: videoA, range, dimension: Dimension.COUNTRY, pageSize: 1 });
  assert.deepEqual(firstOnly.rows.map((r) => r.value), ["US"]);
});

test("QoE figures follow from what the players reported", async () => {
  const { qoe } = await alice.getQoe({ videoId: videoA, range });
  assert.ok(qoe);
  const started = plansA.filter((p) => !p.exitBeforeStart);
  const watched = plansA.reduce((sum, p) => sum + p.heartbeats * heartbeatMs, 0);
  const stalled = plansA.reduce((sum, p) => sum + (p.rebuffers ?? 0) * rebufferMs, 0);
  const bits = plansA.reduce((sum, p) => sum + ((p.bitrateBps ?? 0) * p.heartbeats * heartbeatMs) / 1000, 0);
  assert.equal(qoe.views, 4n);
  assert.equal(qoe.startedViews, BigInt(started.length));
  assert.equal(qoe.averageStartupTimeMs, (400 + 1200 + 800) / 3);
  assert.equal(qoe.rebufferRatio, stalled / (stalled + watched));
  assert.equal(qoe.rebufferCount, 3n);
  assert.equal(qoe.exitsBeforeStart, 1n);
  assert.equal(qoe.errorRate, 1 / 4);
  assert.equal(qoe.weightedAverageBitrateBps, bits / (watched / 1000));
  assert.equal(qoe.weightedAverageBitrateBps, 2_500_000, "(2 Mb/s × 30 s + 1 Mb/s × 10 s + 4 Mb/s × 20 s) / 60 s");
});
