import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect as connectHttp2 } from "node:http2";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import type { RunningCatalog } from "@kino/catalog-service";
import { catalogClientFor, lifecycleClientFor, startTestCatalog } from "@kino/catalog-service/testing";
import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "../src/origin/index.ts";
import { alice as aliceUser, aliceKey, testGatewayConfig } from "./start-test-stack.ts";

const maxRequestBytes = 1024 * 1024;
const alice = { headers: { authorization: `Bearer ${aliceKey}` } };

let catalog: RunningCatalog;
let closeCatalog: () => Promise<void>;
let lifecycle: GrpcClient<typeof VideoLifecycleService>;
let dir: TempDir;
let storage: Storage;
let gateway: RunningGateway;
let baseUrl: string;
let readyId: string;

before(async () => {
  const started = await startTestCatalog();
  ({ catalog } = started);
  closeCatalog = started.close;
  const catalogUrl = `127.0.0.1:${catalog.grpcPort}`;
  lifecycle = lifecycleClientFor(testServiceCredentials(), catalogUrl);
  dir = await createTempDir("kino-hostile-");
  storage = createLocalStorage({ root: dir.path });
  // The origin asks the catalog over the same kind of shared channel as the RPC forwarding, as in production.
  const origin = createOriginRoute({ storage, resolvePlayback: catalogPlaybackResolver(lifecycle) });
  gateway = await startGateway({ config: testGatewayConfig(catalog.grpcPort, { maxRequestBytes }), logger: silentLogger(), routes: [origin] });
  baseUrl = `http://127.0.0.1:${gateway.port}`;

  const owner = catalogClientFor(testServiceCredentials(), catalogUrl, aliceUser.userId);
  const { video } = await owner.createVideo({ title: "ready" });
  owner.close();
  readyId = video!.id;
  await storage.put(mediaKey(readyId, "out1", "master.m3u8"), Buffer.from("#EXTM3U\n#EXT-X-VERSION:7\n"));
  const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
  await lifecycle.markUploaded({ videoId: readyId, sourceKey: `raw/${readyId}/source`, source });
  await lifecycle.startProcessing({ videoId: readyId });
  const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 100_000, averageBandwidth: 90_000, frameRate: 24, codecs: "avc1.64000d" }];
  await lifecycle.markReady({ videoId: readyId, outputId: "out1", durationSeconds: 2, renditions });
});
after(async () => {
  lifecycle.close();
  await gateway.close();
  await closeCatalog();
  await dir.remove();
});

function connectJson(method: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/kino.catalog.v1.CatalogService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...alice.headers, ...headers },
    body,
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Ten GetVideo requests with a ~1 MB id, from another process (an attacker is
 * not in the gateway's event loop). `sent` resolves once every body is on the
 * wire, `answers` once all ten are answered.
 */
function startHostileSenders(): { sent: Promise<void>; answers: Promise<{ status: number; body: string }[]> } {
  const script = `
    const { request } = require("node:http");
    const body = JSON.stringify({ id: "a".repeat(1024 * 1024 - 64) });
    const answers = [];
    let written = 0;
    for (let i = 0; i < 10; i++) {
      const req = request(process.argv[1], { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          answers.push({ status: res.statusCode, body: text });
          if (answers.length === 10) process.stdout.write(JSON.stringify(answers));
        });
      });
      req.end(body, () => {
        if (++written === 10) process.stderr.write("sent");
      });
    }
  `;
  const child = spawn(process.execPath, ["-e", script, `${baseUrl}/kino.catalog.v1.CatalogService/GetVideo`], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return {
    sent: new Promise<void>((resolve) => child.stderr.once("data", () => resolve())),
    answers: new Promise((resolve) => child.once("exit", () => resolve(JSON.parse(out) as { status: number; body: string }[]))),
  };
}

test("while ten 1 MB-id requests are in flight, GetVideo and an HLS playlist each answer in under 200 ms", async () => {
  const client = createClient(CatalogService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
  const round = () =>
    Promise.all([
      timed(async () => (await client.getVideo({ id: readyId })).video?.id),
      timed(async () => {
        const res = await fetch(`${baseUrl}/hls/${readyId}/out1/master.m3u8`);
        await res.text();
        return res.status;
      }),
    ]);
  // Warm: the first call also opens the gateway's channel to the catalog, which is not what is measured.
  await round();
  const hostile = startHostileSenders();
  await hostile.sent;
  let answered = false;
  void hostile.answers.then(() => (answered = true));
  // Measure while the ten are being read and answered, then twice more after: a stalled channel shows up late.
  const rounds = [];
  for (let extra = 2; extra > 0; extra -= answered ? 1 : 0) {
    rounds.push(await round());
    await sleep(50);
  }
  for (const [get, playlist] of rounds) {
    assert.equal(get.value, readyId);
    assert.equal(playlist.value, 200);
    assert.ok(get.ms < 200, `GetVideo took ${get.ms.toFixed(0)} ms`);
    assert.ok(playlist.ms < 200, `the playlist took ${playlist.ms.toFixed(0)} ms`);
  }
  // Each is refused at the door, from its size alone (a GetVideoRequest holds an id), with a short message.
  for (const answer of await hostile.answers) {
    assert.equal(answer.status, 429);
    assert.ok(answer.body.length < 300, `the error is ${answer.body.length} bytes: it must not echo the id`);
    assert.match(answer.body, /"code":"resource_exhausted".*larger than configured readMaxBytes 16384/);
  }
});

test("identifiers are checked at the door on every service and protocol, without an upstream call", async () => {
  // Under the size bound of a GetVideoRequest, a long id is refused by its shape, never echoed.
  const long = await connectJson("GetVideo", JSON.stringify({ id: "a".repeat(15_000) }));
  assert.equal(long.status, 400);
  const longText = await long.text();
  assert.ok(longText.length < 300, `the error is ${longText.length} bytes`);
  assert.match(longText, /"code":"invalid_argument".*id must be a video id .*got 15000 characters/);
  const grpc = createClient(CatalogService, createGrpcTransport({ baseUrl }));
  await assert.rejects(grpc.getVideo({ id: "../../etc/passwd" }), (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.InvalidArgument);
    assert.match(e.rawMessage, /^id must be a video id \(20 characters of a-z and 0-9\)/);
    return true;
  });
  await assert.rejects(grpc.listVideos({ ownerId: "x".repeat(5000) }), /owner_id must be 1 to 64 characters/);
  // A streaming call is checked too.
  await assert.rejects(async () => {
    for await (const _ of grpc.watchVideo({ id: "Z".repeat(30) })) break;
  }, /id must be a video id/);
  const analytics = await fetch(`${baseUrl}/kino.analytics.v1.AnalyticsService/GetVideoSummary`, {
    method: "POST",
    headers: { "content-type": "application/json", ...alice.headers },
    body: JSON.stringify({ videoId: "<script>".repeat(10) }),
  });
  assert.equal(analytics.status, 400, "refused before the (absent) analytics service is asked");
  assert.match(await analytics.text(), /video_id must be a video id/);
});

test("an RPC body over the limit is ResourceExhausted, a gzip bomb is refused without inflating", async () => {
  const big = await connectJson("CreateVideo", JSON.stringify({ title: "t", description: "d".repeat(2 * maxRequestBytes) }));
  assert.equal(big.status, 429);
  assert.match(await big.text(), /"code":"resource_exhausted".*larger than configured readMaxBytes 1048576/);

  // 128 MiB of spaces compress to ~130 KB: the gateway must stop at the limit, not inflate it all.
  const bomb = gzipSync(Buffer.concat([Buffer.from('{"title":"bomb","description":"'), Buffer.alloc(128 * 1024 * 1024, 0x20), Buffer.from('"}')]));
  assert.ok(bomb.length < 200_000, `the bomb is ${bomb.length} bytes`);
  const rssBefore = process.memoryUsage().rss;
  const answers = await Promise.all(Array.from({ length: 4 }, () => connectJson("CreateVideo", bomb, { "content-encoding": "gzip" })));
  const grew = process.memoryUsage().rss - rssBefore;
  for (const answer of answers) {
    assert.equal(answer.status, 429);
    assert.match(await answer.text(), /resource_exhausted.*after decompression/);
  }
  assert.ok(grew < 100 * 1024 * 1024, `the gateway grew by ${(grew / 1024 / 1024).toFixed(0)} MiB`);

  // gRPC: a 9 MB message gets a clear ResourceExhausted from the gateway itself.
  const grpc = createClient(CatalogService, createGrpcTransport({ baseUrl }));
  await assert.rejects(grpc.createVideo({ title: "t", description: "x".repeat(9_000_000) }, alice), (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.ResourceExhausted);
    assert.match(e.rawMessage, /message size \d+ is larger than configured readMaxBytes 1048576/);
    return true;
  });
});

test("bytes that are not protobuf are InvalidArgument (400), not a server error", async () => {
  const answer = await fetch(`${baseUrl}/kino.catalog.v1.CatalogService/GetVideo`, {
    method: "POST",
    headers: { "content-type": "application/proto" },
    body: Buffer.from([0x0a, 100, 1, 2, 3]),
  });
  assert.equal(answer.status, 400);
  assert.match(await answer.text(), /"code":"invalid_argument","message":"the request is not a valid kino\.catalog\.v1\.GetVideoRequest in protobuf binary: premature EOF"/);
});

test("control characters and overflowing page tokens are InvalidArgument through the gateway", async () => {
  const nul = await connectJson("CreateVideo", JSON.stringify({ title: "t", description: "a\u0000b" }));
  assert.equal(nul.status, 400);
  assert.match(await nul.text(), /description must not contain control characters other than tab and newline: found U\+0000/);
  const token = Buffer.from(JSON.stringify({ v: 1, s: "99999999999999999999".slice(0, 19), o: "", st: "" })).toString("base64url");
  const list = await connectJson("ListVideos", JSON.stringify({ pageToken: token }));
  assert.equal(list.status, 400);
  assert.match(await list.text(), /page_token is malformed/);
});

test("answers that name what was asked for quote it short: an unknown method's path, a health check's service", async () => {
  const session = connectHttp2(baseUrl);
  const trailers = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": `/kino.Nope/${"x".repeat(8000)}`, "content-type": "application/grpc", te: "trailers" });
    stream.on("trailers", (headers) => resolve(headers));
    stream.on("error", reject);
    stream.resume();
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
  session.close();
  assert.equal(trailers["grpc-status"], "12");
  assert.ok(String(trailers["grpc-message"]).length < 300, `grpc-message is ${String(trailers["grpc-message"]).length} characters`);

  const health = await fetch(`${baseUrl}/grpc.health.v1.Health/Check`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ service: "s".repeat(100_000) }),
  });
  assert.equal(health.status, 404);
  const text = await health.text();
  assert.ok(text.length < 300, `the answer is ${text.length} characters`);
  assert.match(text, /unknown service s+…/);
});
