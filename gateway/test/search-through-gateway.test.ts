import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { catalogClientFor, lifecycleClientFor, startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { Visibility } from "@kino/proto/catalog/v1";
import { SearchService } from "@kino/proto/search/v1";
import { startTestSearch, type StartedTestSearch } from "@kino/search-service/testing";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { alice, bob, testGatewayConfig } from "./start-test-stack.ts";

let catalog: StartedTestCatalog;
let search: StartedTestSearch;
let gateway: RunningGateway;

before(async () => {
  catalog = await startTestCatalog();
  search = await startTestSearch({ natsPrefix: catalog.natsPrefix });
  gateway = await startGateway({ config: testGatewayConfig(catalog.catalog.grpcPort, { searchUrl: search.address }), logger: silentLogger() });
});
after(async () => {
  await gateway.close();
  await search.close();
  await catalog.close();
});

test("search through the gateway answers each caller with what they may see: alice her private video, bob and anonymous visitors only public ones", async () => {
  const credentials = testServiceCredentials();
  const lifecycle = lifecycleClientFor(credentials, catalog.address);
  const owner = catalogClientFor(credentials, catalog.address, alice.userId);
  for (const [title, visibility] of [["Harbour lights at dusk", Visibility.PUBLIC], ["Harbour diary, private", Visibility.PRIVATE]] as const) {
    const { video } = await owner.createVideo({ title, visibility });
    const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
    await lifecycle.markUploaded({ videoId: video!.id, sourceKey: `raw/${video!.id}/source`, source });
    await lifecycle.startProcessing({ videoId: video!.id });
    await lifecycle.markReady({ videoId: video!.id, outputId: "out1", durationSeconds: 2 });
  }
  lifecycle.close();
  owner.close();
  const client = createClient(SearchService, createConnectTransport({ baseUrl: `http://127.0.0.1:${gateway.port}`, httpVersion: "1.1" }));
  const titles = async (credential?: string) =>
    (await client.searchVideos({ query: "harbour" }, credential ? { headers: { authorization: `Bearer ${credential}` } } : {})).hits.map((h) => h.title).sort();
  for (let i = 0; i < 50 && (await titles(alice.accessToken)).length < 2; i++) await sleep(100);
  assert.deepEqual(await titles(alice.accessToken), ["Harbour diary, private", "Harbour lights at dusk"]);
  assert.deepEqual(await titles(bob.apiKey), ["Harbour lights at dusk"]);
  assert.deepEqual(await titles(), ["Harbour lights at dusk"]);
});
