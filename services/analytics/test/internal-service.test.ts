import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { AnalyticsInternalService } from "@kino/proto/analytics/v1";
import { startAnalyticsTestStack, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";
import { rejectsWith } from "./support/grpc-assertions.ts";
import { collectorRows, storeRows, type ViewPlan } from "./support/sdk-views.ts";

const hourMs = 3_600_000;
let stack: AnalyticsTestStack;
let search: GrpcClient<typeof AnalyticsInternalService>;
const clients: { close(): void }[] = [];
// Video ids in the catalog's shape; analytics does not need the videos to exist.
const a = "internala00000000001";
const b = "internalb00000000002";
const c = "internalc00000000003";

const internalAs = (principal: "search" | "gateway") => {
  const client = createGrpcClient(AnalyticsInternalService, stack.analyticsAddress, { identity: testServiceCredentials().minter(principal) });
  clients.push(client);
  return client;
};

const device = { deviceType: "desktop", browserName: "Chrome", osName: "Linux" };
const view = (videoId: string, viewerId: string, startMs: number): ViewPlan => ({ videoId, viewerId, startMs, heartbeats: 1, device, country: "US" });

before(async () => {
  stack = await startAnalyticsTestStack();
  search = internalAs("search");
  const now = Date.now();
  const rows = collectorRows([
    view(a, "x1", now - 60_000),
    view(a, "x2", now - 60_000),
    view(a, "x3", now - 30 * hourMs),
    view(b, "x1", now - 60_000),
    view(b, "x2", now - 60_000),
    view(c, "x2", now - 60_000),
    // Junk a player may send: not a video id, never listed.
    view("video-Not.An:Id", "x1", now - 60_000),
  ]);
  // Stored twice, as a redelivered batch would be: no count may change.
  await storeRows(stack.store, rows);
  await storeRows(stack.store, rows);
});
after(async () => {
  for (const client of clients) client.close();
  await stack.close();
});

test("only the search service, acting for itself, may call the internal service", async () => {
  await rejectsWith(internalAs("gateway").listViewCounts({}), GrpcStatus.PERMISSION_DENIED, /not open to the gateway/);
  await rejectsWith(withCallOptions(search, { onBehalfOf: { userId: "mallory" } }).listViewCounts({}), GrpcStatus.PERMISSION_DENIED, /internal/);
});

test("view counts: totals and recent hours of every viewed video, paged by id; a watermark lists only what changed", async () => {
  const first = await search.listViewCounts({ pageSize: 2 });
  assert.deepEqual(first.videos.map((video) => [video.videoId, video.totalViews]), [[a, 3n], [b, 2n]]);
  const hours = first.videos[0]!.recentHours.map((hour) => [timestampDate(hour.hourStartTime!).getTime() % hourMs, hour.views]);
  assert.equal(hours.length, 2, "a's views fell in two hours");
  assert.ok(hours.every(([offset]) => offset === 0), "hours start on the hour");
  assert.equal(hours.reduce((sum, [, views]) => sum + Number(views), 0), 3);
  const second = await search.listViewCounts({ pageSize: 2, pageToken: first.nextPageToken });
  assert.deepEqual(second.videos.map((video) => [video.videoId, video.totalViews]), [[c, 1n]]);
  assert.equal(second.nextPageToken, "");
  assert.deepEqual(second.nextChangedSince, first.nextChangedSince, "one listing, one watermark");
  assert.ok(timestampDate(first.nextChangedSince!).getTime() < Date.now());

  // Nothing changed in the future; a page token belongs to its own changed_since.
  assert.deepEqual((await search.listViewCounts({ changedSince: timestampFromMs(Date.now() + 2 * hourMs) })).videos, []);
  await rejectsWith(search.listViewCounts({ changedSince: timestampFromMs(Date.now()), pageToken: first.nextPageToken }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
  await rejectsWith(search.listViewCounts({ pageSize: 1001 }), GrpcStatus.INVALID_ARGUMENT, /page_size/);
});

test("co-viewed videos: who watched these also watched, ranked by co-viewers, the asked-for ones left out", async () => {
  const ranked = async (videoIds: string[]) => (await search.listCoViewedVideos({ videoIds })).videos.map((video) => [video.videoId, video.coViewers]);
  // a's viewers x1, x2, x3: b was watched by x1 and x2, c by x2; the junk id is never named.
  assert.deepEqual(await ranked([a]), [[b, 2n], [c, 1n]]);
  assert.deepEqual(await ranked([a, b]), [[c, 1n]]);
  assert.deepEqual(await ranked(["nobodywatched0000000"]), []);
  await rejectsWith(search.listCoViewedVideos({ videoIds: [] }), GrpcStatus.INVALID_ARGUMENT, /video_ids/);
  await rejectsWith(search.listCoViewedVideos({ videoIds: ["x'; DROP TABLE events"] }), GrpcStatus.INVALID_ARGUMENT, /video ids/);
  await rejectsWith(search.listCoViewedVideos({ videoIds: [a], windowDays: 91 }), GrpcStatus.INVALID_ARGUMENT, /window_days/);
});
