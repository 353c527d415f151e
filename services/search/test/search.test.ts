import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { catalogClientFor, exportClientFor, lifecycleClientFor, startTestCatalog, type CatalogClient, type LifecycleClient, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { connectNats, createTopology } from "@kino/messaging";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { CaptionStoreService, Visibility } from "@kino/proto/catalog/v1";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { SearchService, SearchSort, type SearchVideosRequestSchema } from "@kino/proto/search/v1";
import { requireTestEnv } from "@kino/testkit";
import { rebuildSearch } from "../src/rebuild.ts";
import { startTestSearch, type StartedTestSearch } from "../src/testing.ts";

let catalog: StartedTestCatalog;
let search: StartedTestSearch;
let lifecycle: LifecycleClient;
let alice: CatalogClient;
let bob: CatalogClient;
let admin: CatalogClient;
const searchClients: GrpcClient<typeof SearchService>[] = [];
const ids: Record<string, string> = {};

function searchAs(userId: string | undefined, address = search.address): GrpcClient<typeof SearchService> {
  const raw = createGrpcClient(SearchService, address, { identity: testServiceCredentials().minter("gateway") });
  searchClients.push(raw);
  return userId ? withCallOptions(raw, { onBehalfOf: { userId } }) : raw;
}

async function ready(client: CatalogClient, name: string, init: Parameters<CatalogClient["createVideo"]>[0], seconds: number): Promise<string> {
  const { video } = await client.createVideo(init);
  const videoId = video!.id;
  const source = { durationSeconds: seconds, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
  await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  await lifecycle.startProcessing({ videoId });
  await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: seconds });
  ids[name] = videoId;
  return videoId;
}

/** Polls until `check` holds: documents follow events within a moment. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) assert.fail(`${what} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const found = async (client: GrpcClient<typeof SearchService>, request: MessageInitShape<typeof SearchVideosRequestSchema>) =>
  (await client.searchVideos(request)).hits.map((hit) => hit.title);

before(async () => {
  catalog = await startTestCatalog();
  search = await startTestSearch({ natsPrefix: catalog.natsPrefix, catalogAddress: catalog.address });
  const credentials = testServiceCredentials();
  lifecycle = lifecycleClientFor(credentials, catalog.address);
  alice = catalogClientFor(credentials, catalog.address, "alice-search");
  bob = catalogClientFor(credentials, catalog.address, "bob-search");
  admin = catalogClientFor(credentials, catalog.address, "admin-search", "admin");
  await admin.putCategory({ category: { slug: "food", name: "Food" } });
  await admin.putCategory({ category: { slug: "music", name: "Music" } });
  await ready(alice, "kitchen", { title: "Grandma's kitchen secrets", description: "Slow braised beans and bread", tags: ["Cooking"], category: "food" }, 300);
  await ready(alice, "creme", { title: "Crème brûlée at home", description: "Caramel and custard", tags: ["dessert", "french"], category: "food" }, 90);
  await ready(bob, "street", { title: "Night market walk", description: "Dumplings everywhere", tags: ["Street Food"], category: "food" }, 1200);
  await ready(bob, "piano", { title: "Piano sonata in the kitchen", description: "Recorded live", tags: ["classical"], category: "music" }, 600);
  await ready(bob, "bread", { title: "Bread at dawn", description: "A bakery opens" }, 200);
  await ready(alice, "private", { title: "Private kitchen diary", description: "only mine", visibility: Visibility.PRIVATE }, 60);
  await ready(alice, "unlisted", { title: "Unlisted kitchen tour", description: "by link", visibility: Visibility.UNLISTED }, 60);
  const anyone = searchAs(undefined);
  await eventually(async () => (await found(anyone, { query: "" })).length === 5, "the five public videos are searchable");
  // And alice's private and unlisted ones too, which only she sees: seven in all.
  await eventually(async () => (await found(searchAs("alice-search"), { query: "" })).length === 7, "alice's own videos are searchable");
});
after(async () => {
  for (const client of searchClients) client.close();
  lifecycle.close();
  for (const client of [alice, bob, admin]) client.close();
  await search.close();
  await catalog.close();
});

test("finds a video by a word of its title, by a tag, by words written with other accents, by a prefix", async () => {
  const anyone = searchAs(undefined);
  const sorted = async (query: string) => (await found(anyone, { query })).sort();
  assert.deepEqual(await sorted("kitchen"), ["Grandma's kitchen secrets", "Piano sonata in the kitchen"]);
  assert.deepEqual(await found(anyone, { query: "street food" }), ["Night market walk"], "tags count as words");
  assert.deepEqual(await found(anyone, { query: "creme brulee" }), ["Crème brûlée at home"], "accents are ignored");
  assert.deepEqual(await found(anyone, { query: "CRÈME" }), ["Crème brûlée at home"]);
  assert.deepEqual(await sorted("kitc"), ["Grandma's kitchen secrets", "Piano sonata in the kitchen"], "the last word is a prefix");
  assert.deepEqual(await found(anyone, { query: "custard" }), ["Crème brûlée at home"], "the description counts");
  assert.deepEqual(await found(anyone, { query: '"kitchen secrets"' }), ["Grandma's kitchen secrets"], "a quoted phrase");
  assert.deepEqual(await found(anyone, { query: "kitchen -piano" }), ["Grandma's kitchen secrets"], "a word left out");
});

test("the title weighs more than the description, and one typo in a short query still finds the title", async () => {
  const anyone = searchAs(undefined);
  const answer = await anyone.searchVideos({ query: "bread" });
  assert.equal(answer.approximate, false);
  assert.deepEqual(answer.hits.map((hit) => hit.title), ["Bread at dawn", "Grandma's kitchen secrets"], "in the title beats in the description");
  assert.match(answer.hits[1]!.snippet, /bread/);
  const typo = await anyone.searchVideos({ query: "kitchne secrets" });
  assert.equal(typo.approximate, true);
  assert.equal(typo.hits[0]?.title, "Grandma's kitchen secrets");
  assert.deepEqual((await anyone.searchVideos({ query: "zzzzqqq" })).hits, []);
});

test("filters and sorts combine: category, duration, creator, tag, upload date; newest or by relevance", async () => {
  const anyone = searchAs(undefined);
  assert.deepEqual(await found(anyone, { query: "", category: "food", sort: SearchSort.NEWEST }), ["Night market walk", "Crème brûlée at home", "Grandma's kitchen secrets"]);
  assert.deepEqual(await found(anyone, { category: "food", minDurationSeconds: 100, maxDurationSeconds: 1000 }), ["Grandma's kitchen secrets"]);
  assert.deepEqual(await found(anyone, { query: "kitchen", ownerId: "bob-search" }), ["Piano sonata in the kitchen"]);
  assert.deepEqual(await found(anyone, { tag: "french" }), ["Crème brûlée at home"]);
  const future = timestampFromDate(new Date(Date.now() + 3600_000));
  assert.deepEqual(await found(anyone, { createdAfter: future }), []);
  assert.equal((await found(anyone, { createdBefore: future })).length, 5);
  const pages: string[] = [];
  let pageToken = "";
  do {
    const page = await anyone.searchVideos({ pageSize: 1, pageToken });
    pages.push(...page.hits.map((hit) => hit.title));
    pageToken = page.nextPageToken;
  } while (pageToken);
  assert.deepEqual(pages.sort(), (await found(anyone, {})).sort(), "pages cover every hit once");
  await assert.rejects(anyone.searchVideos({ query: "other", pageToken: (await anyone.searchVideos({ pageSize: 1 })).nextPageToken }), /page_token/);
});

test("a private or unlisted video of alice's never appears for bob or anonymous visitors; alice finds her own", async () => {
  for (const client of [searchAs(undefined), searchAs("bob-search")]) {
    const titles = await found(client, { query: "kitchen" });
    assert.ok(!titles.some((title) => /Private|Unlisted/.test(title)), titles.join(", "));
    assert.deepEqual(await found(client, { query: "diary" }), []);
  }
  assert.deepEqual(await found(searchAs("alice-search"), { query: "diary" }), ["Private kitchen diary"]);
});

test("a video made private or deleted leaves the results within 5 s; an edit shows up just as fast", async () => {
  const anyone = searchAs(undefined);
  await alice.updateVideo({ id: ids.creme!, visibility: Visibility.PRIVATE });
  const hidden = await eventually(async () => (await found(anyone, { query: "creme" })).length === 0, "the privatised video leaves");
  await bob.deleteVideo({ id: ids.street! });
  const gone = await eventually(async () => (await found(anyone, { query: "dumplings" })).length === 0, "the deleted video leaves");
  await bob.updateVideo({ id: ids.piano!, title: "Piano sonata by the sea" });
  await eventually(async () => (await found(anyone, { query: "sea" })).length === 1, "the new title is found");
  assert.ok(hidden < 5000 && gone < 5000);
});

test("a word said in the captions finds the video, below one with it in its title; removing the captions forgets it", async () => {
  const captions = withCallOptions(createGrpcClient(CaptionStoreService, catalog.address, { identity: testServiceCredentials().minter("gateway") }), { onBehalfOf: { userId: "alice-search" } });
  const captioned = await ready(alice, "captioned", { title: "Morning commute", visibility: Visibility.PUBLIC }, 30);
  await ready(bob, "climbing", { title: "Trams climbing Lisbon", visibility: Visibility.PUBLIC }, 30);
  await captions.recordCaption({ videoId: captioned, language: "pt-PT", label: "Português", text: "Bom dia! The tram is climbing to Graça" });
  const anyone = searchAs(undefined);
  await eventually(async () => (await found(anyone, { query: "graca" })).includes("Morning commute"), "found by a caption word, accents aside");
  assert.deepEqual(await found(anyone, { query: "climbing" }), ["Trams climbing Lisbon", "Morning commute"]);
  await captions.deleteCaption({ videoId: captioned, language: "pt-PT" });
  await eventually(async () => (await found(anyone, { query: "graca" })).length === 0, "forgotten with its captions");
  // Back again, for the rebuild below to find.
  await captions.recordCaption({ videoId: captioned, language: "en", text: "The tram is climbing" });
  await eventually(async () => (await found(anyone, { query: "climbing" })).length === 2, "found by its new captions");
  captions.close();
});

test("rebuilding from scratch gives the same results, even once the event stream has forgotten every video", async () => {
  const queries: MessageInitShape<typeof SearchVideosRequestSchema>[] = [{ query: "kitchen" }, { query: "" }, { category: "food" }, { query: "piano" }, { query: "climbing" }];
  const anyone = searchAs(undefined);
  const before = await Promise.all(queries.map((q) => found(anyone, q)));
  await search.search.close();
  const nats = await connectNats({ url: requireTestEnv("KINO_TEST_NATS_URL"), name: "rebuild-test", logger: silentLogger() });
  // As if the videos were older than the stream's 7 days: only the catalog's export still has them.
  await (await nats.jetstreamManager()).streams.purge(createTopology(catalog.natsPrefix).streams.events);
  const credentials = testServiceCredentials();
  const exporter = exportClientFor(credentials, catalog.address);
  const { videos } = await rebuildSearch(
    {
      databaseUrl: search.databaseUrl,
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix: catalog.natsPrefix,
      consumerName: "search",
      catalogUrl: catalog.address,
      identity: credentials.identity("search"),
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    nats,
    exporter,
    silentLogger(),
  );
  exporter.close();
  await nats.drain();
  assert.ok(videos > 0, "the export held no video");
  const rebuilt = await startTestSearch({ natsPrefix: catalog.natsPrefix, databaseUrl: search.databaseUrl, catalogAddress: catalog.address });
  const again = searchAs(undefined, rebuilt.address);
  await eventually(async () => JSON.stringify(await Promise.all(queries.map((q) => found(again, q)))) === JSON.stringify(before), "the rebuilt index answers as before");
  // And it follows the events again, from where the export began.
  await ready(alice, "late", { title: "Harmonica after the rebuild", visibility: Visibility.PUBLIC }, 5);
  await eventually(async () => (await found(again, { query: "harmonica" })).length === 1, "a video made after the rebuild is found");
  search = { ...search, search: rebuilt.search, address: rebuilt.address, close: () => rebuilt.search.close() };
});
