import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { rejectsWith, startEngagementCatalog, type EngagementClient, type EngagementTestCatalog } from "./start-engagement-catalog.ts";

let env: EngagementTestCatalog;
let carol: EngagementClient;
let videos: Video[];

before(async () => {
  env = await startEngagementCatalog();
  carol = env.engagementAs("carol");
  videos = [];
  for (const title of ["first", "second", "third"]) videos.push(await env.readyVideo("dora", Visibility.PUBLIC, title));
});
after(() => env.close());

async function historyOf(client: EngagementClient, pageSize = 0): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = "";
  do {
    const page = await client.listWatchHistory({ pageSize, pageToken });
    ids.push(...page.entries.map((entry) => entry.videoId));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return ids;
}

test("positions read back, clamped to the duration; history is newest first over pages; clearing empties it", async () => {
  const [first, second, third] = videos as [Video, Video, Video];
  const never = await carol.getPlaybackPosition({ videoId: first.id });
  assert.equal(never.positionMs, 0n);
  assert.equal(never.watchedAt, undefined, "no watched_at for a video never played");
  await carol.setPlaybackPosition({ videoId: first.id, positionMs: 1500n });
  await carol.setPlaybackPosition({ videoId: second.id, positionMs: 2500n });
  await carol.setPlaybackPosition({ videoId: third.id, positionMs: 3500n });
  // Watching the first again moves it to the top and updates its position.
  const clamped = await carol.setPlaybackPosition({ videoId: first.id, positionMs: 99_000n });
  assert.equal(clamped.positionMs, 10_000n, "a position past the 10 s duration is clamped to it");

  const resumed = await carol.getPlaybackPosition({ videoId: first.id });
  assert.equal(resumed.positionMs, 10_000n);
  assert.ok(resumed.watchedAt && Math.abs(timestampDate(resumed.watchedAt).getTime() - Date.now()) < 60_000);

  assert.deepEqual(await historyOf(carol), [first.id, third.id, second.id]);
  assert.deepEqual(await historyOf(carol, 1), [first.id, third.id, second.id], "pages of one give the same order");
  const page = await carol.listWatchHistory({ pageSize: 3 });
  assert.deepEqual(page.entries.map((e) => e.positionMs), [10_000n, 3500n, 2500n]);
  assert.equal(page.nextPageToken, "");

  await carol.removeWatchHistoryEntry({ videoId: third.id });
  assert.deepEqual(await historyOf(carol), [first.id, second.id]);
  await rejectsWith(carol.removeWatchHistoryEntry({ videoId: third.id }), GrpcStatus.NOT_FOUND, /not in your watch history/);

  const cleared = await carol.clearWatchHistory({});
  assert.equal(cleared.removed, 2n);
  assert.deepEqual(await historyOf(carol), []);
  assert.equal((await carol.getPlaybackPosition({ videoId: first.id })).positionMs, 0n, "clearing the history forgets resume positions too");
});

test("history is each user's own, needs a user, and leaves out videos made private since", async () => {
  const erin = env.engagementAs("erin");
  const video = await env.readyVideo("dora", Visibility.PUBLIC, "soon private");
  await erin.setPlaybackPosition({ videoId: video.id, positionMs: 100n });
  assert.deepEqual(await historyOf(env.engagementAs("frank")), []);
  assert.deepEqual(await historyOf(erin), [video.id]);
  await env.catalogAs("dora").updateVideo({ id: video.id, visibility: Visibility.PRIVATE });
  assert.deepEqual(await historyOf(erin), []);
  await rejectsWith(erin.setPlaybackPosition({ videoId: video.id, positionMs: 1n }), GrpcStatus.NOT_FOUND);
  await rejectsWith(env.engagementAs(undefined).listWatchHistory({}), GrpcStatus.UNAUTHENTICATED);
  await rejectsWith(erin.setPlaybackPosition({ videoId: videos[0]!.id, positionMs: -1n }), GrpcStatus.INVALID_ARGUMENT, /position_ms must be at least 0/);
  await rejectsWith(erin.listWatchHistory({ pageSize: 101 }), GrpcStatus.INVALID_ARGUMENT, /page_size/);
  await rejectsWith(erin.listWatchHistory({ pageToken: "garbage" }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
});

test("the search service reads a user's history for that user, and nothing as itself; analytics not at all", async () => {
  const gina = env.engagementAs("gina");
  await gina.setPlaybackPosition({ videoId: videos[1]!.id, positionMs: 42n });
  const viaSearch = await env.engagementAs("gina", { principal: "search" }).listWatchHistory({});
  assert.deepEqual(viaSearch.entries.map((e) => [e.videoId, e.positionMs]), [[videos[1]!.id, 42n]]);
  // Another user's token from search gets that user's history, never gina's.
  const other = await env.engagementAs("harry", { principal: "search" }).listWatchHistory({});
  assert.deepEqual(other.entries, []);
  await rejectsWith(env.engagementAs(undefined, { principal: "search" }).listWatchHistory({}), GrpcStatus.UNAUTHENTICATED);
  await rejectsWith(env.engagementAs("gina", { principal: "search" }).setPlaybackPosition({ videoId: videos[1]!.id, positionMs: 1n }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(env.engagementAs("gina", { principal: "analytics" }).listWatchHistory({}), GrpcStatus.PERMISSION_DENIED);
});
