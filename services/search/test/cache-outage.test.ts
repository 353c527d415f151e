import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { catalogClientFor, lifecycleClientFor, startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { createGrpcClient, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { SearchService } from "@kino/proto/search/v1";
import { Redis } from "ioredis";
import { startTestSearch, type StartedTestSearch } from "../src/testing.ts";

let catalog: StartedTestCatalog;
let search: StartedTestSearch;
let redisServer: ChildProcess | undefined;
let port: number;
let client: GrpcClient<typeof SearchService>;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A Redis of this test's own, which it may stop: never the shared one. */
async function startRedis(): Promise<void> {
  redisServer = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
    const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {});
    const up = await probe.ping().then(() => true, () => false);
    probe.disconnect();
    if (up) return;
    if (Date.now() > deadline) throw new Error("redis-server did not start");
  }
}

const titles = async () => (await client.searchVideos({})).hits.map((hit) => hit.title);

before(async () => {
  port = await freePort();
  await startRedis();
  catalog = await startTestCatalog();
  search = await startTestSearch({ natsPrefix: catalog.natsPrefix, redisUrl: `redis://127.0.0.1:${port}` });
  client = createGrpcClient(SearchService, search.address, { identity: testServiceCredentials().minter("gateway") });
  const credentials = testServiceCredentials();
  const owner = catalogClientFor(credentials, catalog.address, "owner-cache");
  const lifecycle = lifecycleClientFor(credentials, catalog.address);
  const { video } = await owner.createVideo({ title: "Lighthouse at dusk" });
  const source = { durationSeconds: 30, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
  await lifecycle.markUploaded({ videoId: video!.id, sourceKey: `raw/${video!.id}/source`, source });
  await lifecycle.startProcessing({ videoId: video!.id });
  await lifecycle.markReady({ videoId: video!.id, outputId: "out1", durationSeconds: 30 });
  owner.close();
  lifecycle.close();
  for (const deadline = Date.now() + 10_000; (await titles()).length === 0; await sleep(100)) {
    if (Date.now() > deadline) assert.fail("the video is searchable within 10 s");
  }
});
after(async () => {
  client?.close();
  await search?.close();
  await catalog?.close();
  redisServer?.kill();
});

test("answers are cached in Redis; with Redis stopped they are computed uncached, not errors; back, caching resumes", async () => {
  assert.deepEqual(await titles(), ["Lighthouse at dusk"]);
  const inspect = new Redis(port, "127.0.0.1");
  assert.ok((await inspect.keys("*:answer:*")).length > 0, "the empty-query listing was cached");
  inspect.disconnect();

  redisServer!.kill("SIGKILL");
  await once(redisServer!, "exit");
  const started = Date.now();
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(await titles(), ["Lighthouse at dusk"]);
    assert.deepEqual((await client.listTrendingVideos({})).hits, []);
    assert.deepEqual((await client.searchVideos({ query: "lighthouse" })).hits.length, 1);
  }
  assert.ok(Date.now() - started < 5000, "uncached answers come without waiting on Redis");

  await startRedis();
  const back = new Redis(port, "127.0.0.1");
  for (const deadline = Date.now() + 15_000; ; await sleep(200)) {
    assert.deepEqual(await titles(), ["Lighthouse at dusk"]);
    if ((await back.keys("*:answer:*")).length > 0) break;
    if (Date.now() > deadline) assert.fail("answers are cached again once Redis is back");
  }
  back.disconnect();
});
