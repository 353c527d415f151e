import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { catalogClientFor, lifecycleClientFor } from "@kino/catalog-service/testing";
import { createGrpcClient, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { KinoError, silentLogger } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "../src/origin/index.ts";
import { startTestStack, testGatewayConfig, type TestStack } from "./start-test-stack.ts";

let stack: TestStack;
let dir: TempDir;
let storage: Storage;
let origin: RunningGateway;
let baseUrl: string;
let catalog: GrpcClient<typeof CatalogService>;
let lifecycle: GrpcClient<typeof VideoLifecycleService>;

before(async () => {
  stack = await startTestStack();
  dir = await createTempDir("kino-origin-catalog-");
  storage = createLocalStorage({ root: dir.path });
  const address = `127.0.0.1:${stack.catalog.grpcPort}`;
  catalog = catalogClientFor(testServiceCredentials(), address, "alice");
  lifecycle = lifecycleClientFor(testServiceCredentials(), address);
  // Answers are not reused here, so the test sees each status change at once.
  const resolvePlayback = catalogPlaybackResolver(lifecycle, { positiveTtlMs: 0, negativeTtlMs: 0 });
  const route = createOriginRoute({ storage, resolvePlayback });
  origin = await startGateway({ config: testGatewayConfig(stack.catalog.grpcPort), logger: silentLogger(), routes: [route] });
  baseUrl = `http://127.0.0.1:${origin.port}`;
});
after(async () => {
  catalog.close();
  lifecycle.close();
  await origin.close();
  await stack.close();
  await dir.remove();
});

const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 100_000, averageBandwidth: 90_000, frameRate: 24, codecs: "avc1.64000d" }];

test("the catalog's playback path is served once the video is READY, and only for the attempt it names", async () => {
  const { video } = await catalog.createVideo({ title: "origin" });
  const videoId = video!.id;
  for (const attempt of ["attempt1", "attempt2"]) await storage.put(mediaKey(videoId, attempt, "master.m3u8"), Buffer.from(`#EXTM3U\n# ${attempt}\n`));

  assert.equal((await fetch(`${baseUrl}/hls/${videoId}/attempt2/master.m3u8`)).status, 404, "not READY yet");

  await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  await lifecycle.startProcessing({ videoId });
  const { video: ready } = await lifecycle.markReady({ videoId, outputId: "attempt2", durationSeconds: 2, renditions });

  const played = await fetch(`${baseUrl}${ready!.playbackPath}`);
  assert.equal(played.status, 200);
  assert.equal(await played.text(), "#EXTM3U\n# attempt2\n");
  assert.equal((await fetch(`${baseUrl}/hls/${videoId}/attempt1/master.m3u8`)).status, 404, "the abandoned attempt stays dark");
  assert.equal((await fetch(`${baseUrl}/hls/nosuchvideo0123/attempt2/master.m3u8`)).status, 404);

  await catalog.deleteVideo({ id: videoId });
  assert.equal((await fetch(`${baseUrl}${ready!.playbackPath}`)).status, 404, "a deleted video goes dark");
});

test("a catalog that cannot be reached makes the resolver fail as unavailable, not as 'not playable'", async () => {
  const unreachable = createGrpcClient(VideoLifecycleService, "127.0.0.1:1");
  try {
    await assert.rejects(catalogPlaybackResolver(unreachable)("vid_anything"), (error: unknown) => KinoError.is(error, "unavailable"));
  } finally {
    unreachable.close();
  }
});
