import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { createLocalStorage, mediaKey, type Storage } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { createOriginRoute } from "../src/origin/index.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

const videoId = "vid_failures";
const outputId = "out_1";
const bigSegment = randomBytes(16 * 1024 * 1024);

let dir: TempDir;
let storage: Storage;
const bodies: Readable[] = [];
let catalogDown = false;
let gateway: RunningGateway;
let baseUrl: string;
before(async () => {
  dir = await createTempDir("kino-origin-failures-");
  storage = createLocalStorage({ root: join(dir.path, "objects") });
  await storage.put(mediaKey(videoId, outputId, "180p", "seg_00001.m4s"), bigSegment);
  // Real storage, keeping the body streams it hands out so the test can see them closed.
  const watched: Storage = {
    ...storage,
    async get(key, options) {
      const result = await storage.get(key, options);
      bodies.push(result.body);
      return result;
    },
  };
  const route = createOriginRoute({
    storage: watched,
    resolvePlayback: async () => {
      if (catalogDown) throw new Error("catalog unreachable");
      return outputId;
    },
  });
  gateway = await startGateway({ config: testGatewayConfig(1), logger: silentLogger(), routes: [route] });
  baseUrl = `http://127.0.0.1:${gateway.port}`;
});
after(async () => {
  await gateway.close();
  await dir.remove();
});

const segmentPath = `/hls/${videoId}/${outputId}/180p/seg_00001.m4s`;

test("when the catalog cannot answer, the origin says 503 with Retry-After and recovers", async () => {
  catalogDown = true;
  try {
    const res = await fetch(`${baseUrl}${segmentPath}`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "5");
    assert.equal(res.headers.get("cache-control"), "no-store");
  } finally {
    catalogDown = false;
  }
  const res = await fetch(`${baseUrl}${segmentPath}`, { headers: { range: "bytes=0-15" } });
  assert.equal(res.status, 206);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bigSegment.subarray(0, 16));
});

test("when storage fails to read a file, the origin says 503 and keeps serving others", async () => {
  // A file the local driver cannot make sense of (no metadata trailer): a storage failure, not a missing object.
  await writeFile(join(dir.path, "objects", "media", videoId, outputId, "180p", "seg_00002.m4s"), "torn write");
  const res = await fetch(`${baseUrl}/hls/${videoId}/${outputId}/180p/seg_00002.m4s`);
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "5");
  const healthy = await fetch(`${baseUrl}${segmentPath}`, { method: "HEAD" });
  assert.equal(healthy.status, 200);
});

test("a player that hangs up mid-segment releases the storage stream and the origin keeps serving", async () => {
  bodies.length = 0;
  await new Promise<void>((resolve, reject) => {
    const req = request(`${baseUrl}${segmentPath}`, (res) => {
      assert.equal(res.statusCode, 200);
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? undefined : reject(error)));
    req.end();
  });
  assert.equal(bodies.length, 1);
  for (let waited = 0; !bodies[0]!.destroyed && waited < 2000; waited += 20) await sleep(20);
  assert.equal(bodies[0]!.destroyed, true, "the storage stream is destroyed");
  assert.equal(bodies[0]!.readableEnded, false, "it was cut short, not read to the end");

  const res = await fetch(`${baseUrl}${segmentPath}`, { headers: { range: "bytes=-4" } });
  assert.equal(res.status, 206);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bigSegment.subarray(-4));
});
