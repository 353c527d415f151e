import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { Visibility } from "@kino/proto/catalog/v1";
import { SearchSort } from "@kino/proto/search/v1";
import { startDiscoveryStack, type DiscoveryStack, type SearchClient } from "./support/discovery-stack.ts";

const hourMs = 3_600_000;
let stack: DiscoveryStack;
const v: Record<string, string> = {};
let titleOf: Map<string, string>;

/** Polls until `check` holds, failing with what it last saw. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

const names = (hits: { videoId: string }[]) => hits.map((hit) => titleOf.get(hit.videoId) ?? hit.videoId);
const related = async (client: SearchClient, name: string) => names((await client.listRelatedVideos({ videoId: v[name]! })).hits);
const trending = async (client: SearchClient) => names((await client.listTrendingVideos({})).hits);
const forYou = async (client: SearchClient) => names((await client.listRecommendedVideos({})).hits);
const sameList = (expected: string[]) => (list: string[]) => JSON.stringify(list) === JSON.stringify(expected);

before(async () => {
  stack = await startDiscoveryStack();
  v.sourdough = await stack.video("bob-d", { title: "Sourdough basics", tags: ["bread", "baking"], category: "" });
  v.rye = await stack.video("bob-d", { title: "Rye loaf", tags: ["bread"] });
  v.cake = await stack.video("bob-d", { title: "Cake decorating", tags: ["baking"] });
  v.guitar = await stack.video("bob-d", { title: "Guitar chords" });
  v.jazz = await stack.video("bob-d", { title: "Jazz night" });
  v.secret = await stack.video("alice-d", { title: "Alice's secret bakery", tags: ["bread"], visibility: Visibility.PRIVATE });
  titleOf = new Map(Object.entries(v).map(([name, id]) => [id, name]));

  const day = 24 * hourMs;
  const views = [
    // Now: u1..u3 watch sourdough and guitar; u4 sourdough and jazz; u1 also alice's private video.
    ...["u1", "u2", "u3", "u4"].map((viewerId) => ({ videoId: v.sourdough!, viewerId })),
    ...["u1", "u2", "u3"].map((viewerId) => ({ videoId: v.guitar!, viewerId })),
    { videoId: v.jazz!, viewerId: "u4" },
    { videoId: v.secret!, viewerId: "u1" },
    { videoId: v.cake!, viewerId: "u9" },
    // The day before: sourdough 3 views, cake 5, by viewers who watched nothing else.
    ...["o1", "o2", "o3"].map((viewerId) => ({ videoId: v.sourdough!, viewerId, agoMs: day + 6 * hourMs })),
    ...["o4", "o5", "o6", "o7", "o8"].map((viewerId) => ({ videoId: v.cake!, viewerId, agoMs: day + 6 * hourMs })),
  ];
  await stack.play(views);
  await eventually(() => stack.storedViewStarts(), (count) => count === views.length, "every view lands in ClickHouse through the collector");
  // Counts reach search by its poll of analytics.
  await eventually(
    async () => names((await stack.searchAs(undefined).searchVideos({ sort: SearchSort.MOST_VIEWED, pageSize: 4 })).hits),
    sameList(["sourdough", "cake", "guitar", "jazz"]),
    "view counts reach search",
  );
});
after(() => stack?.close());

test("most viewed follows the real counts: every view the collector stored, older ones included", async () => {
  const anyone = stack.searchAs(undefined);
  // sourdough 7, cake 6, guitar 3, jazz 1; rye none (newest first among the unviewed).
  assert.deepEqual(names((await anyone.searchVideos({ sort: SearchSort.MOST_VIEWED })).hits), ["sourdough", "cake", "guitar", "jazz", "rye"]);
  // With words, most viewed orders the matches.
  assert.deepEqual(names((await anyone.searchVideos({ query: "bread", sort: SearchSort.MOST_VIEWED })).hits), ["sourdough", "rye"]);
  // Alice sees her own private video among them: one view, like jazz, and newer.
  assert.deepEqual(names((await stack.searchAs("alice-d").searchVideos({ sort: SearchSort.MOST_VIEWED, pageSize: 5 })).hits), ["sourdough", "cake", "guitar", "secret", "jazz"]);
});

test("trending follows velocity, not totals: views in the last 24 hours minus the 24 before", async () => {
  // guitar +3; sourdough 4 - 3 = +1 (4 recent); jazz +1 (1 recent); cake 1 - 5 = -4. Rye was never viewed.
  assert.deepEqual(await trending(stack.searchAs(undefined)), ["guitar", "sourdough", "jazz", "cake"]);
  assert.deepEqual(await trending(stack.searchAs("bob-d")), ["guitar", "sourdough", "jazz", "cake"]);
  assert.ok((await trending(stack.searchAs("alice-d"))).includes("secret"), "alice's own private video trends for her");
});

test("related videos come from co-views recorded through the collector, topped up by shared tags and category", async () => {
  const anyone = stack.searchAs(undefined);
  // Co-viewers of sourdough: guitar 3 (u1-u3), jazz 1 (u4); alice's private video (u1) is not for others.
  // Then one shared tag each: cake (baking, 6 views), rye (bread, none).
  assert.deepEqual(await related(anyone, "sourdough"), ["guitar", "jazz", "cake", "rye"]);
  // Nobody watched rye: its related videos are its tags' alone (sourdough shares "bread").
  assert.deepEqual(await related(anyone, "rye"), ["sourdough"]);
  assert.deepEqual((await anyone.listRelatedVideos({ videoId: v.sourdough!, pageSize: 1 })).hits.length, 1);
  // The video itself never; its viewers' other choices from its co-viewers.
  assert.ok(!(await related(anyone, "guitar")).includes("guitar"));
  assert.deepEqual((await related(anyone, "guitar"))[0], "sourdough");
});

test("a private video of alice's never appears in bob's or anonymous related, trending or for-you lists", async () => {
  for (const client of [stack.searchAs(undefined), stack.searchAs("bob-d")]) {
    for (const list of [await related(client, "sourdough"), await related(client, "rye"), await trending(client), await forYou(client)]) {
      assert.ok(!list.includes("secret"), list.join(", "));
    }
    await assert.rejects(client.listRelatedVideos({ videoId: v.secret! }), (error: { code: number }) => error.code === GrpcStatus.NOT_FOUND);
  }
  // Alice may ask about her own, and sees it among related videos of a video whose viewers watched it.
  assert.ok((await related(stack.searchAs("alice-d"), "sourdough")).includes("secret"));
  await assert.rejects(stack.searchAs(undefined).listRelatedVideos({ videoId: "not-an-id" }), (error: { code: number }) => error.code === GrpcStatus.INVALID_ARGUMENT);
});

test("for you recommends from the viewer's watch history, leaving out what they watched; no history or anonymous: trending", async () => {
  assert.deepEqual(await forYou(stack.searchAs(undefined)), ["guitar", "sourdough", "jazz", "cake"]);
  assert.deepEqual(await forYou(stack.searchAs("carol-d")), ["guitar", "sourdough", "jazz", "cake"], "an empty history");
  const dave = stack.engagementAs("dave-d");
  await dave.setPlaybackPosition({ videoId: v.sourdough!, positionMs: 5000n });
  // Watched: sourdough. Its co-views (guitar, jazz), then its tags (cake, rye).
  await eventually(() => forYou(stack.searchAs("dave-d")), sameList(["guitar", "jazz", "cake", "rye"]), "recommendations follow the history");
  await dave.setPlaybackPosition({ videoId: v.guitar!, positionMs: 1000n });
  const list = await eventually(() => forYou(stack.searchAs("dave-d")), (names) => !names.includes("guitar"), "a watched video leaves the recommendations");
  assert.ok(!list.includes("sourdough") && list.includes("jazz"), list.join(", "));
});

test("a deleted video leaves every list within 5 s, even lists answered from the cache", async () => {
  const anyone = stack.searchAs(undefined);
  // Asked twice: the second answer comes from Redis.
  for (let i = 0; i < 2; i++) {
    await trending(anyone);
    await related(anyone, "sourdough");
    await anyone.searchVideos({ sort: SearchSort.MOST_VIEWED });
  }
  const deletedAt = Date.now();
  await stack.catalogAs("bob-d").deleteVideo({ id: v.jazz! });
  await eventually(
    async () => [
      ...(await trending(anyone)),
      ...(await related(anyone, "sourdough")),
      ...names((await anyone.searchVideos({ sort: SearchSort.MOST_VIEWED })).hits),
      ...names((await anyone.searchVideos({})).hits),
    ],
    (all) => !all.includes("jazz"),
    "the deleted video leaves",
    5000,
  );
  assert.ok(Date.now() - deletedAt < 5000);
});
