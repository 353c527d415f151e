import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createGrpcClient } from "@kino/grpc";
import { silentLogger } from "@kino/platform";
import { VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "../src/origin/index.ts";
import { createUploadRoute, createUploadTokens, probeValidation, type UploadRoute } from "../src/upload/index.ts";
import { rawRequest, type RawResponse } from "./origin-test-server.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

// A shared cache stores whatever headers the first requester got and serves them to everyone after,
// so every answer, of every status and route, must carry CORS headers that are right for any Origin.

const videoId = "vid_cors";
const outputId = "out_cors";
const unreachableVideoId = "vid_catalog_down";
const segment = randomBytes(4096);
const segmentPath = `/hls/${videoId}/${outputId}/180p/seg_00001.m4s`;

interface Probe {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  status: number;
}

const tus = { "tus-resumable": "1.0.0" };
const probes: Probe[] = [
  { name: "playlist", method: "GET", path: `/hls/${videoId}/${outputId}/master.m3u8`, status: 200 },
  { name: "segment", method: "GET", path: segmentPath, status: 200 },
  { name: "HEAD of a segment", method: "HEAD", path: segmentPath, status: 200 },
  { name: "ranged segment", method: "GET", path: segmentPath, headers: { range: "bytes=0-99" }, status: 206 },
  { name: "revalidated segment", method: "GET", path: segmentPath, headers: { "if-none-match": "*" }, status: 304 },
  { name: "missing segment", method: "GET", path: `/hls/${videoId}/${outputId}/180p/seg_09999.m4s`, status: 404 },
  { name: "unsatisfiable range", method: "GET", path: segmentPath, headers: { range: "bytes=999999-" }, status: 416 },
  { name: "method not allowed", method: "DELETE", path: segmentPath, status: 405 },
  { name: "catalog unreachable", method: "GET", path: `/hls/${unreachableVideoId}/${outputId}/master.m3u8`, status: 503 },
  { name: "preflight", method: "OPTIONS", path: segmentPath, headers: { "access-control-request-method": "GET", "access-control-request-headers": "range" }, status: 204 },
  { name: "tus discovery", method: "OPTIONS", path: "/uploads/", status: 204 },
  { name: "tus creation with a bad token", method: "POST", path: "/uploads/not-a-token", headers: { ...tus, "upload-length": "10" }, status: 403 },
  { name: "tus HEAD of an unknown upload", method: "HEAD", path: `/uploads/local.vid_x.${"A".repeat(22)}`, headers: tus, status: 404 },
  { name: "RPC error (no request body)", method: "POST", path: "/kino.catalog.v1.CatalogService/ListVideos", headers: { "content-type": "application/json" }, status: 400 },
  { name: "health", method: "GET", path: "/healthz", status: 503 },
];

let dir: TempDir;
let storage: Storage;
const unreachableCatalog = createGrpcClient(VideoLifecycleService, "127.0.0.1:1");
const uploads: UploadRoute[] = [];
const gateways: RunningGateway[] = [];

before(async () => {
  dir = await createTempDir("kino-cors-");
  storage = createLocalStorage({ root: `${dir.path}/objects` });
  await storage.put(mediaKey(videoId, outputId, "master.m3u8"), Buffer.from("#EXTM3U\n"));
  await storage.put(mediaKey(videoId, outputId, "180p", "seg_00001.m4s"), segment);
});
after(async () => {
  for (const gateway of gateways) await gateway.close();
  for (const route of uploads) route.close();
  unreachableCatalog.close();
  await dir.remove();
});

/** A gateway with the origin and the upload route, its catalog unreachable (port 1), under `corsOrigins`. */
async function startGatewayWith(corsOrigins: string): Promise<number> {
  const askCatalog = catalogPlaybackResolver(unreachableCatalog, { timeoutMs: 500 });
  const origin = createOriginRoute({
    storage,
    resolvePlayback: (id) => (id === unreachableVideoId ? askCatalog(id) : Promise.resolve(id === videoId ? outputId : undefined)),
  });
  const upload = await createUploadRoute({
    tokens: createUploadTokens(randomBytes(32).toString("hex")),
    stagingDir: `${dir.path}/staging-${uploads.length}`,
    storage,
    lifecycle: unreachableCatalog,
    validateSource: probeValidation,
    hostId: "local",
    peers: new Map(),
    publicBaseUrl: "http://127.0.0.1",
    maxSizeBytes: 1024,
    sweepIntervalMs: 0,
    logger: silentLogger(),
  });
  uploads.push(upload);
  const gateway = await startGateway({ config: testGatewayConfig(1, { corsOrigins }), logger: silentLogger(), routes: [upload, origin] });
  gateways.push(gateway);
  return gateway.port;
}

async function send(port: number, probe: Probe, origin: string | undefined): Promise<RawResponse> {
  const res = await rawRequest(port, probe.path, { method: probe.method, headers: { ...probe.headers, ...(origin ? { origin } : {}) } });
  assert.equal(res.status, probe.status, `${probe.name}: ${res.body.toString()}`);
  return res;
}

const varies = (res: RawResponse) => /\borigin\b/i.test(String(res.headers.vary ?? ""));

describe("KINO_CORS_ORIGINS=*", () => {
  let port: number;
  before(async () => (port = await startGatewayWith("*")));

  for (const probe of probes) {
    test(`${probe.name}: Access-Control-Allow-Origin: * with or without an Origin, and no Vary on it`, async () => {
      for (const origin of [undefined, "https://player.example"]) {
        const res = await send(port, probe, origin);
        const what = `${probe.name}, Origin ${origin ?? "(none)"}`;
        assert.equal(res.headers["access-control-allow-origin"], "*", what);
        assert.equal(varies(res), false, what);
      }
    });
  }
});

describe("KINO_CORS_ORIGINS as an allow-list", () => {
  const allowed = "https://app.example";
  let port: number;
  before(async () => (port = await startGatewayWith(`${allowed},https://other.example`)));

  for (const probe of probes) {
    test(`${probe.name}: Vary: Origin on every answer, the allowed origin echoed, nothing for others`, async () => {
      for (const [origin, allowOrigin] of [
        [undefined, undefined],
        [allowed, allowed],
        ["https://elsewhere.example", undefined],
      ] as const) {
        const res = await send(port, probe, origin);
        const what = `${probe.name}, Origin ${origin ?? "(none)"}`;
        assert.ok(varies(res), `${what}: Vary is ${String(res.headers.vary)}`);
        assert.equal(res.headers["access-control-allow-origin"], allowOrigin, what);
      }
    });
  }

  test("a preflight from the allowed origin lists the methods and headers; a plain answer does not carry them", async () => {
    const preflight = await send(port, probes.find((p) => p.name === "preflight")!, allowed);
    assert.match(String(preflight.headers["access-control-allow-headers"]), /\bRange\b/);
    assert.match(String(preflight.headers["access-control-allow-methods"]), /\bGET\b/);
    const plain = await send(port, probes.find((p) => p.name === "segment")!, allowed);
    assert.equal(plain.headers["access-control-allow-methods"], undefined);
    assert.match(String(plain.headers["access-control-expose-headers"]), /Content-Range/);
  });
});
