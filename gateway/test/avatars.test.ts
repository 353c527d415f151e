import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { silentLogger } from "@kino/platform";
import { findFreePort } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import sharp from "sharp";
import { startGatewayApp, type RunningGatewayApp } from "../src/gateway-app.ts";
import { alice, bob, testGatewayConfig } from "./start-test-stack.ts";

let catalog: StartedTestCatalog;
let dir: TempDir;
let app: RunningGatewayApp;
let baseUrl: string;

before(async () => {
  catalog = await startTestCatalog();
  dir = await createTempDir("kino-avatars-");
  const port = await findFreePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await startGatewayApp(
    testGatewayConfig(catalog.catalog.grpcPort, {
      listen: `127.0.0.1:${port}`,
      publicBaseUrl: baseUrl,
      storageDir: join(dir.path, "storage"),
      uploadStagingDir: join(dir.path, "staging"),
      avatarMaxBytes: 200_000,
    }),
    silentLogger(),
  );
});
after(async () => {
  await app.close();
  await catalog.close();
  await dir.remove();
});

const put = (body: Uint8Array | string, credential?: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/avatars/me`, {
    method: "PUT",
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), "content-type": "image/png", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });

test("an uploaded photo is re-encoded into two WebP sizes, its own bytes and metadata never served", async () => {
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: "secret-camera-owner" } } })
    .toBuffer();
  const answer = await put(photo, alice.accessToken, { "content-type": "text/plain" });
  assert.equal(answer.status, 200, await answer.clone().text());
  const { urls } = (await answer.json()) as { urls: Record<string, string> };
  for (const size of [256, 64]) {
    const served = await fetch(`${baseUrl}${urls[size]}`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/webp");
    assert.equal(served.headers.get("x-content-type-options"), "nosniff");
    const bytes = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ["webp", size, size, undefined]);
    assert.ok(!bytes.includes(Buffer.from("secret-camera-owner")), "uploaded metadata is dropped");
  }
  assert.equal((await fetch(`${baseUrl}/avatars/${alice.userId}/128.webp`)).status, 404, "only the sizes Kino makes exist");
});

test("not an image, SVG, a pixel bomb, an oversized body or no credentials are refused, and change nothing", async () => {
  const before = await fetch(`${baseUrl}/avatars/${bob.userId}/64.webp`);
  assert.equal(before.status, 404);
  assert.equal((await put("hello, I am text", bob.apiKey)).status, 415);
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
  assert.equal((await put(svg, bob.apiKey, { "content-type": "image/svg+xml" })).status, 415);
  // 144 million pixels in well under the byte limit.
  const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: "#000" }, limitInputPixels: false }).png({ compressionLevel: 9, palette: true }).toBuffer();
  assert.ok(bomb.length < 200_000);
  assert.equal((await put(bomb, bob.apiKey)).status, 415);
  assert.equal((await put(Buffer.alloc(300_000, 1), bob.apiKey)).status, 413);
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#00f" } }).png().toBuffer();
  assert.equal((await put(png)).status, 401);
  assert.equal((await put(png, "kino_abcdefgh_not-a-key")).status, 401);
  assert.equal((await fetch(`${baseUrl}/avatars/${bob.userId}/64.webp`)).status, 404, "nothing was stored");
  assert.equal((await put(png, bob.apiKey)).status, 200);
  assert.equal((await fetch(`${baseUrl}/avatars/${bob.userId}/64.webp`)).status, 200);
  const removed = await fetch(`${baseUrl}/avatars/me`, { method: "DELETE", headers: { authorization: `Bearer ${bob.accessToken}` } });
  assert.equal(removed.status, 204);
  assert.equal((await fetch(`${baseUrl}/avatars/${bob.userId}/64.webp`)).status, 404);
  assert.equal((await fetch(`${baseUrl}/avatars/..%2F..%2Fetc/64.webp`)).status, 404);
});
