import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { get, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { findFreePort } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGatewayApp, type RunningGatewayApp } from "../src/gateway-app.ts";
import type { GatewayConfig } from "../src/config.ts";
import { webConfigSchema } from "../src/web/web-config.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

let catalog: StartedTestCatalog;
let dir: TempDir;
const running: RunningGatewayApp[] = [];

// A build laid out as Vite lays it: index.html with the collector placeholder, hashed files under assets/.
const indexHtml = `<!doctype html><html><head><meta name="kino-collector-url" content="" /><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>`;
const script = `console.log(${JSON.stringify("kino ".repeat(200))});`;

before(async () => {
  catalog = await startTestCatalog();
  dir = await createTempDir("kino-web-route-");
  await mkdir(join(dir.path, "dist", "assets"), { recursive: true });
  await mkdir(join(dir.path, "dist", ".vite"), { recursive: true });
  await writeFile(join(dir.path, "dist", "index.html"), indexHtml);
  await writeFile(join(dir.path, "dist", "assets", "index-Ab12Cd34.js"), script);
  await writeFile(join(dir.path, "dist", "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  await writeFile(join(dir.path, "dist", ".vite", "manifest.json"), "{}");
  await writeFile(join(dir.path, "secret.txt"), "outside the build");
});
after(async () => {
  for (const app of running) await app.close();
  await catalog.close();
  await dir.remove();
});

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // agent: false closes the socket after the answer, so no idle keep-alive outlives the test.
    get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

async function startApp(overrides: Partial<GatewayConfig>): Promise<string> {
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await startGatewayApp(
    testGatewayConfig(catalog.catalog.grpcPort, {
      listen: `127.0.0.1:${port}`,
      publicBaseUrl: baseUrl,
      storageDir: join(dir.path, `storage-${port}`),
      uploadStagingDir: join(dir.path, `staging-${port}`),
      ...overrides,
    }),
    silentLogger(),
  );
  running.push(app);
  return baseUrl;
}

test("pages get index.html (revalidated, collector filled in, locked down by CSP); hashed assets are immutable and gzipped", async () => {
  const baseUrl = await startApp({ webDir: join(dir.path, "dist"), webCollectorUrl: "https://beacons.example.com" });
  for (const path of ["/", "/library", "/watch/abcdefghij0123456789", "/settings?tab=keys"]) {
    const page = await fetch(`${baseUrl}${path}`);
    assert.equal(page.status, 200, path);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(page.headers.get("cache-control"), "no-cache");
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("referrer-policy"), "same-origin");
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'(;|$)/, "no inline or remote scripts");
    assert.match(csp, /media-src 'self' http:\/\/127\.0\.0\.1:\d+ blob:/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:\d+ https:\/\/beacons\.example\.com(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(await page.text(), /<meta name="kino-collector-url" content="https:\/\/beacons\.example\.com" \/>/);
  }
  const etag = (await fetch(`${baseUrl}/`)).headers.get("etag")!;
  assert.equal((await fetch(`${baseUrl}/`, { headers: { "if-none-match": etag } })).status, 304);

  // node:http, not fetch: fetch would undo the gzip before the test saw it.
  const asset = await rawGet(`${baseUrl}/assets/index-Ab12Cd34.js`, { "accept-encoding": "gzip, br" });
  assert.equal(asset.status, 200);
  assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(asset.headers["content-type"], "text/javascript; charset=utf-8");
  assert.equal(asset.headers["content-encoding"], "gzip");
  assert.equal(asset.headers["vary"], "Accept-Encoding");
  const bytes = asset.body;
  assert.ok(bytes.length < script.length / 4, "compressed");
  assert.equal(gunzipSync(bytes).toString(), script);
  assert.equal((await fetch(`${baseUrl}/favicon.svg`)).headers.get("content-type"), "image/svg+xml");

  for (const path of ["/assets/index-Gone0000.js", "/missing.png", "/.vite/manifest.json", "/%2e%2e/secret.txt", "/assets/..%2F..%2Fsecret.txt"]) {
    const missing = await fetch(`${baseUrl}${path}`);
    assert.equal(missing.status, 404, path);
    assert.doesNotMatch(await missing.text(), /outside the build|<html/, path);
  }
});

test("the app never shadows the API, the origin, uploads, avatars, JWKS, health or metrics", async () => {
  const baseUrl = await startApp({ webDir: join(dir.path, "dist") });
  const notTheApp = async (path: string, init: RequestInit = {}) => {
    const answer = await fetch(`${baseUrl}${path}`, init);
    const body = await answer.text();
    assert.doesNotMatch(body, /kino-collector-url/, `${init.method ?? "GET"} ${path} answered with the app`);
    assert.equal(answer.headers.get("content-security-policy"), null, path);
    return answer;
  };
  await notTheApp("/healthz"); // 503 here: no analytics service runs in this test
  assert.match(await (await fetch(`${baseUrl}/metrics`)).text(), /# HELP/);
  assert.equal((await notTheApp("/.well-known/jwks.json")).status, 200);
  await notTheApp("/hls");
  await notTheApp("/hls/abcdefghij0123456789/out/master.m3u8");
  await notTheApp("/uploads");
  await notTheApp("/avatars/someone/256.webp");
  // Connect's GET form of an RPC, and RPC-shaped paths the gateway does not serve.
  await notTheApp("/kino.catalog.v1.CatalogService/GetVideo?connect=v1&encoding=json&message=%7B%7D");
  await notTheApp("/kino.nothing.v1.Nothing/Call");
  const listed = await notTheApp("/kino.catalog.v1.CatalogService/ListVideos", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(listed.status, 200);
  await notTheApp("/library", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
});

test("the collector can be turned off, and a missing build answers 404 with how to build it", async () => {
  const baseUrl = await startApp({ webDir: join(dir.path, "no-such-dist"), webCollectorUrl: undefined });
  const page = await fetch(`${baseUrl}/library`);
  assert.equal(page.status, 404);
  assert.match(await page.text(), /pnpm --filter @kino\/web build/);
  assert.match(page.headers.get("content-security-policy") ?? "", /connect-src 'self' http:\/\/127\.0\.0\.1:\d+(;|$)/);
  assert.match(await (await fetch(`${baseUrl}/healthz`)).text(), /catalog/);
});

test("KINO_WEB_DIR and KINO_WEB_COLLECTOR_URL: kino up's defaults, off, and bad values named", () => {
  assert.deepEqual(parseConfig(webConfigSchema, {}), { webDir: "web/dist", webCollectorUrl: "http://127.0.0.1:8090" });
  assert.equal(parseConfig(webConfigSchema, { KINO_WEB_COLLECTOR_URL: "https://beacons.example.com/" }).webCollectorUrl, "https://beacons.example.com");
  assert.equal(parseConfig(webConfigSchema, { KINO_WEB_COLLECTOR_URL: "off" }).webCollectorUrl, undefined);
  assert.throws(() => parseConfig(webConfigSchema, { KINO_WEB_COLLECTOR_URL: "ftp://beacons" }), /KINO_WEB_COLLECTOR_URL: expected an http\(s\) URL or "off"/);
});
