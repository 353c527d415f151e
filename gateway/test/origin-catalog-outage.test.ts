import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunningCatalog } from "@kino/catalog-service";
import { catalogClientFor, lifecycleClientFor, startTestCatalog } from "@kino/catalog-service/testing";
import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, createTestDatabase, type TempDir, type TestDatabase } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "../src/origin/index.ts";
import { testGatewayConfig } from "./start-test-stack.ts";
import { startTcpRelay, type TcpRelay } from "./tcp-relay.ts";

const ttlMs = 30_000;
const maxStaleMs = 600_000;
const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 100_000, averageBandwidth: 90_000, frameRate: 24, codecs: "avc1.64000d" }];
const files = ["master.m3u8", "180p/index.m3u8", "180p/seg_00000.m4s"];

let database: TestDatabase;
let catalog: RunningCatalog;
let catalogStopped = false;
let relay: TcpRelay;
let videos: GrpcClient<typeof CatalogService>;
let lifecycle: GrpcClient<typeof VideoLifecycleService>;
let dir: TempDir;
let storage: Storage;
let origin: RunningGateway;
let baseUrl: string;
let now = 1_000_000;
const advance = (ms: number) => (now += ms);

before(async () => {
  database = await createTestDatabase("kino_catalog");
  ({ catalog } = await startTestCatalog({ databaseUrl: database.url }));
  // The origin reaches the catalog through a relay the test can freeze; the test itself talks to the catalog directly.
  relay = await startTcpRelay(catalog.grpcPort);
  videos = catalogClientFor(testServiceCredentials(), `127.0.0.1:${catalog.grpcPort}`, "alice");
  lifecycle = lifecycleClientFor(testServiceCredentials(), relay.address);
  dir = await createTempDir("kino-origin-outage-");
  storage = createLocalStorage({ root: dir.path });
  const resolvePlayback = catalogPlaybackResolver(lifecycle, {
    timeoutMs: 1_500,
    positiveTtlMs: ttlMs,
    maxStaleMs,
    // Long enough that a catalog that answers is always waited for on these busy test machines.
    staleWaitMs: 1_000,
    now: () => now,
  });
  origin = await startGateway({ config: testGatewayConfig(1), logger: silentLogger(), routes: [createOriginRoute({ storage, resolvePlayback })] });
  baseUrl = `http://127.0.0.1:${origin.port}`;
});
after(async () => {
  videos.close();
  lifecycle.close();
  await origin.close();
  await relay.close();
  if (!catalogStopped) await catalog.close();
  await database.drop();
  await dir.remove();
});

/** A READY video with a (tiny, fake) package in storage; returns its playback URLs by file. */
async function readyVideo(title: string): Promise<{ videoId: string; url: (file: string) => string }> {
  const { video } = await videos.createVideo({ title });
  const videoId = video!.id;
  for (const file of files) await storage.put(mediaKey(videoId, "out1", ...(file.split("/") as [string, ...string[]])), Buffer.from(`${file}\n`));
  await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  await lifecycle.startProcessing({ videoId });
  await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 2, renditions });
  return { videoId, url: (file) => `${baseUrl}/hls/${videoId}/out1/${file}` };
}

async function statuses(video: { url: (file: string) => string }): Promise<number[]> {
  const answers = [];
  for (const file of files) {
    const res = await fetch(video.url(file));
    await res.arrayBuffer();
    answers.push(res.status);
  }
  return answers;
}

let watched: Awaited<ReturnType<typeof readyVideo>>;
let neverWatched: Awaited<ReturnType<typeof readyVideo>>;

test("a deleted video goes dark as soon as the catalog says so, its old answer is not served stale", async () => {
  watched = await readyVideo("watched");
  neverWatched = await readyVideo("never watched");
  const deleted = await readyVideo("deleted");
  assert.deepEqual(await statuses(watched), [200, 200, 200]);
  assert.deepEqual(await statuses(deleted), [200, 200, 200]);
  await videos.deleteVideo({ id: deleted.videoId });
  advance(ttlMs);
  assert.deepEqual(await statuses(deleted), [404, 404, 404]);
});

test("while the catalog is too slow to answer, a video that played keeps playing; one never seen gets 503", async () => {
  advance(ttlMs);
  relay.freeze();
  try {
    assert.deepEqual(await statuses(watched), [200, 200, 200]);
    const res = await fetch(neverWatched.url("master.m3u8"));
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "5");
  } finally {
    relay.thaw();
  }
});

test("with the catalog stopped, a video that played keeps playing until the staleness bound; one never seen gets 503", async () => {
  advance(ttlMs);
  assert.deepEqual(await statuses(watched), [200, 200, 200], "asked the catalog again");
  const refreshedAt = now;
  await catalog.close();
  catalogStopped = true;
  advance(ttlMs);
  for (let round = 0; round < 3; round++) assert.deepEqual(await statuses(watched), [200, 200, 200], `round ${round}`);
  assert.equal((await fetch(neverWatched.url("master.m3u8"))).status, 503);
  now = refreshedAt + ttlMs + maxStaleMs - 1;
  assert.deepEqual(await statuses(watched), [200, 200, 200], "just within the bound");
  advance(1);
  assert.deepEqual(await statuses(watched), [503, 503, 503], "past the bound the last answer is not served");
});
