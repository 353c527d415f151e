import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { catalogClientFor, lifecycleClientFor } from "@kino/catalog-service/testing";
import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { DownloadState, Visibility, type CatalogService, type VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { downloadDisposition } from "../src/origin/download-target.ts";
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
  dir = await createTempDir("kino-origin-downloads-");
  storage = createLocalStorage({ root: dir.path });
  const address = `127.0.0.1:${stack.catalog.grpcPort}`;
  catalog = catalogClientFor(testServiceCredentials(), address, "dora");
  lifecycle = lifecycleClientFor(testServiceCredentials(), address);
  const resolvePlayback = catalogPlaybackResolver(lifecycle, { positiveTtlMs: 0, negativeTtlMs: 0 });
  origin = await startGateway({ config: testGatewayConfig(stack.catalog.grpcPort), logger: silentLogger(), routes: [createOriginRoute({ storage, resolvePlayback })] });
  baseUrl = `http://127.0.0.1:${origin.port}`;
});
after(async () => {
  catalog.close();
  lifecycle.close();
  await origin.close();
  await stack.close();
  await dir.remove();
});

const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 100_000, averageBandwidth: 90_000, frameRate: 24, codecs: "avc1.64000d" }];
const bytes = Buffer.from("not really an mp4, but bytes the origin must pass through as they are");

/** A READY video whose output holds a download.mp4, with MarkReady saying `state` of it. */
async function readyWithDownload(title: string, state: DownloadState, visibility = Visibility.PUBLIC) {
  const { video } = await catalog.createVideo({ title, download: true, visibility });
  const videoId = video!.id;
  await storage.put(mediaKey(videoId, "out1", "download.mp4"), bytes);
  await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source: { durationSeconds: 2, width: 320, height: 180 } });
  await lifecycle.startProcessing({ videoId });
  const download = state === DownloadState.READY ? { state, sizeBytes: BigInt(bytes.length) } : { state, reason: "it broke" };
  await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 2, renditions, download });
  return `${baseUrl}/hls/${videoId}/out1/download.mp4`;
}

test("download.mp4 is served only while the catalog says READY: a FAILED one is 404 though the file is stored", async () => {
  const failed = await readyWithDownload("broken", DownloadState.FAILED);
  const answer = await fetch(failed);
  assert.equal(answer.status, 404);
  assert.equal(answer.headers.get("content-disposition"), null);
});

test("a READY download is video/mp4 with an attachment named after the title, for GET, HEAD and ranges", async () => {
  const url = await readyWithDownload("Holiday 2026", DownloadState.READY);
  const whole = await fetch(url);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("content-type"), "video/mp4");
  assert.equal(whole.headers.get("content-disposition"), `attachment; filename="Holiday 2026.mp4"; filename*=UTF-8''Holiday%202026.mp4`);
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);
  const head = await fetch(url, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.match(head.headers.get("content-disposition") ?? "", /^attachment; /);
  const part = await fetch(url, { headers: { range: "bytes=4-9" } });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), bytes.subarray(4, 10).toString());
  assert.match(part.headers.get("content-disposition") ?? "", /^attachment; /);
});

test("a private video's download is 403 without a token, like its segments", async () => {
  const url = await readyWithDownload("secret", DownloadState.READY, Visibility.PRIVATE);
  const answer = await fetch(url);
  assert.equal(answer.status, 403);
  assert.equal(answer.headers.get("content-disposition"), null);
});

test("the file name is sanitised: no quotes, control characters or path separators; accents dropped in the ASCII name, kept in filename*", () => {
  assert.equal(
    downloadDisposition('Crème brûlée: "the /best/\\ one"\u0007\r\n?'),
    `attachment; filename="Creme brulee the best one.mp4"; filename*=UTF-8''Cr%C3%A8me%20br%C3%BBl%C3%A9e%20the%20best%20one.mp4`,
  );
  assert.equal(downloadDisposition("東京 (夜)"), `attachment; filename="__ (_).mp4"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20%28%E5%A4%9C%29.mp4`);
  assert.equal(downloadDisposition(' ../.. "" '), `attachment; filename="video.mp4"; filename*=UTF-8''video.mp4`, "nothing left: a plain name");
  assert.equal(downloadDisposition("it's 100% *fun*"), `attachment; filename="it s 100% fun.mp4"; filename*=UTF-8''it%20s%20100%25%20fun.mp4`);
  const long = downloadDisposition("a".repeat(300));
  assert.match(long, new RegExp(`filename="a{100}\\.mp4"`));
});
