import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { mediaKey } from "@kino/storage";
import { createOriginFileCache, type OriginFileCache } from "../src/origin/index.ts";
import { cacheSlotOf } from "../src/origin/origin-file-cache.ts";
import { rawRequest, startOriginTestServer, type OriginTestServer, type RawResponse } from "./origin-test-server.ts";

const videoId = "vid_cache01";
const outputId = "out_1";
const MiB = 1024 * 1024;
const REVALIDATE_MS = 1000;

const files: Record<string, Buffer> = {
  "master.m3u8": Buffer.from("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=320x180\n180p/index.m3u8\n"),
  "180p/index.m3u8": Buffer.from("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:6,\nseg_00001.m4s\n#EXT-X-ENDLIST\n"),
  "180p/init.mp4": randomBytes(700),
  "180p/seg_00001.m4s": randomBytes(1.5 * MiB),
  "poster.jpg": randomBytes(3000),
  "posters/custom.jpg": randomBytes(2000),
};
// Cut off by a hanging-up player: far more than a loopback socket buffers.
const longSegment = randomBytes(16 * MiB);
const pathOf = (file: string) => `/hls/${videoId}/${outputId}/${file}`;
const keyOf = (file: string) => mediaKey(videoId, outputId, ...(file.split("/") as [string, ...string[]]));

let clock = 0;
let cache: OriginFileCache;
let plain: OriginTestServer;
let cached: OriginTestServer;

before(async () => {
  plain = await startOriginTestServer();
  cache = createOriginFileCache({ fileBytes: 4 * MiB, segmentBytes: 256 * MiB, revalidateMs: REVALIDATE_MS, now: () => clock });
  cached = await startOriginTestServer({ storage: plain.storage, cache });
  for (const [file, bytes] of Object.entries(files)) await plain.storage.put(keyOf(file), bytes);
  await plain.storage.put(keyOf("180p/seg_00002.m4s"), longSegment);
  plain.playback.set(videoId, outputId);
  cached.playback.set(videoId, outputId);
});
after(async () => {
  await cached.close();
  await plain.close();
});

/** Everything an answer says, but what differs per request anyway. */
function comparable(answer: RawResponse) {
  const { date: _date, "x-request-id": _id, connection: _connection, "keep-alive": _keepAlive, ...headers } = answer.headers;
  return { status: answer.status, headers, body: answer.body };
}

/** Until the cache holds `file`: a copy is kept as storage's last byte is read, which may come a moment after the player's. */
async function copied(cache: OriginFileCache, file: string): Promise<void> {
  const slot = cacheSlotOf(keyOf(file), file.split("/"));
  for (let i = 0; i < 100 && !cache.lookup(slot); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("copies in memory", () => {
  test("an answer from a copy is the origin's answer from storage, header for header, for every range and conditional", async () => {
    // Whole GETs fill the copies; the answers below come from them.
    for (const file of Object.keys(files)) await rawRequest(cached.port, pathOf(file));
    for (const file of Object.keys(files)) await copied(cache, file);
    cached.keysTouched.length = 0;
    for (const file of Object.keys(files)) {
      const { etag, "last-modified": lastModified } = (await rawRequest(plain.port, pathOf(file), { method: "HEAD" })).headers as Record<string, string>;
      const variants: { method?: string; headers?: Record<string, string> }[] = [
        {},
        { method: "HEAD" },
        { headers: { range: "bytes=0-99" } },
        { headers: { range: "bytes=-10" } },
        { headers: { range: "bytes=100-" } },
        { headers: { range: "bytes=5-1" } },
        { headers: { range: "bytes=0-1,5-6" } },
        { headers: { range: "bytes=999999999-" } },
        { headers: { range: "items=0-1" } },
        { headers: { "if-none-match": etag! } },
        { headers: { "if-none-match": '"someone-else"' } },
        { headers: { "if-modified-since": lastModified! } },
        { headers: { "if-modified-since": new Date(0).toUTCString() } },
        { headers: { "if-range": etag!, range: "bytes=10-19" } },
        { headers: { "if-range": '"stale"', range: "bytes=10-19" } },
        { method: "HEAD", headers: { range: "bytes=0-9" } },
      ];
      for (const variant of variants) {
        const fromStorage = comparable(await rawRequest(plain.port, pathOf(file), variant));
        const fromCopy = comparable(await rawRequest(cached.port, pathOf(file), variant));
        assert.deepEqual(fromCopy, fromStorage, `${file} ${JSON.stringify(variant)}`);
      }
    }
    // The test's clock stands still, so not even the master's or the custom poster's copy was due for a check.
    assert.deepEqual(cached.keysTouched, [], "no request reached storage");
  });

  test("a copy is served only to whom the video's rules allow: an unplayable video's files are 404 though copies exist", async () => {
    await rawRequest(cached.port, pathOf("180p/seg_00001.m4s"));
    cached.playback.delete(videoId);
    try {
      assert.equal((await rawRequest(cached.port, pathOf("180p/seg_00001.m4s"))).status, 404);
      cached.playback.set(videoId, "out_newer");
      assert.equal((await rawRequest(cached.port, pathOf("180p/seg_00001.m4s"))).status, 404, "not the current output");
    } finally {
      cached.playback.set(videoId, outputId);
    }
  });

  test("a player that hangs up mid-segment leaves no copy: the next whole GET reads storage again, and then the copy serves", async () => {
    const path = pathOf("180p/seg_00002.m4s");
    await new Promise<void>((resolve, reject) => {
      const req = request(`${cached.baseUrl}${path}`, (res) => {
        assert.equal(res.statusCode, 200);
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? undefined : reject(error)));
      req.end();
    });
    // The origin notices the hang-up when its socket write fails; give it that moment.
    await new Promise((settle) => setTimeout(settle, 200));
    cached.keysTouched.length = 0;
    const whole = await rawRequest(cached.port, path);
    assert.equal(whole.status, 200);
    assert.ok(whole.body.equals(longSegment), "every byte, in order");
    assert.ok(cached.keysTouched.includes(keyOf("180p/seg_00002.m4s")), "read from storage: the cut-short body was not kept");
    await copied(cache, "180p/seg_00002.m4s");
    cached.keysTouched.length = 0;
    const again = await rawRequest(cached.port, path, { headers: { range: "bytes=-4" } });
    assert.equal(again.status, 206);
    assert.ok(again.body.equals(longSegment.subarray(-4)));
    assert.deepEqual(cached.keysTouched, [], "from the copy");
  });

  test("a stampede on a cold segment: every request gets every byte, and afterwards one copy answers", async () => {
    const file = "360p/seg_00007.m4s";
    const bytes = randomBytes(2 * MiB);
    await plain.storage.put(keyOf(file), bytes);
    const answers = await Promise.all(Array.from({ length: 12 }, () => rawRequest(cached.port, pathOf(file))));
    for (const answer of answers) assert.ok(answer.status === 200 && answer.body.equals(bytes));
    await copied(cache, file);
    cached.keysTouched.length = 0;
    assert.ok((await rawRequest(cached.port, pathOf(file))).body.equals(bytes));
    assert.deepEqual(cached.keysTouched, [], "from the copy");
  });

  test("a master republished under its name is served new once its copy's time is up; until then, and while unchanged, a HEAD costs no read", async () => {
    const master = keyOf("master.m3u8");
    const first = await rawRequest(cached.port, pathOf("master.m3u8"));
    await copied(cache, "master.m3u8");
    const republished = Buffer.from(`${files["master.m3u8"]!.toString()}#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=640x360\n360p/index.m3u8\n`);
    await plain.storage.put(master, republished);
    cached.keysTouched.length = 0;
    assert.ok((await rawRequest(cached.port, pathOf("master.m3u8"))).body.equals(first.body), "the copy, within its time");
    assert.deepEqual(cached.keysTouched, []);

    clock += REVALIDATE_MS;
    const fresh = await rawRequest(cached.port, pathOf("master.m3u8"));
    assert.ok(fresh.body.equals(republished), "the republished master");
    assert.notEqual(fresh.headers.etag, first.headers.etag);
    assert.equal(fresh.headers.etag, (await rawRequest(plain.port, pathOf("master.m3u8"), { method: "HEAD" })).headers.etag);
    await copied(cache, "master.m3u8");

    cached.keysTouched.length = 0;
    clock += REVALIDATE_MS;
    assert.ok((await rawRequest(cached.port, pathOf("master.m3u8"))).body.equals(republished));
    assert.deepEqual(cached.keysTouched, [master], "unchanged: one HEAD, no read");
    cached.keysTouched.length = 0;
    await rawRequest(cached.port, pathOf("180p/index.m3u8"));
    await copied(cache, "180p/index.m3u8");
    clock += 10 * REVALIDATE_MS;
    await rawRequest(cached.port, pathOf("180p/index.m3u8"));
    assert.deepEqual(cached.keysTouched, [], "a rung's playlist is written once: its copy is never checked");
  });

  test("a custom poster removed from storage is 404 once its copy's time is up", async () => {
    assert.equal((await rawRequest(cached.port, pathOf("posters/custom.jpg"))).status, 200);
    await plain.storage.delete(keyOf("posters/custom.jpg"));
    clock += REVALIDATE_MS;
    assert.equal((await rawRequest(cached.port, pathOf("posters/custom.jpg"))).status, 404);
    assert.equal((await rawRequest(cached.port, pathOf("posters/custom.jpg"))).status, 404);
  });
});

describe("byte budgets", () => {
  let small: OriginTestServer;
  let smallCache: OriginFileCache;
  before(async () => {
    // 512 KiB is the most one segment may take of 4 MiB, 1 KiB of 8 KiB of small files.
    smallCache = createOriginFileCache({ fileBytes: 8 * 1024, segmentBytes: 4 * MiB, revalidateMs: REVALIDATE_MS });
    small = await startOriginTestServer({ storage: plain.storage, cache: smallCache });
    small.playback.set(videoId, outputId);
  });
  after(() => small.close());

  test("memory stays within each budget, the least recently used go first, and a file above its share streams every time", async () => {
    const segments = Array.from({ length: 20 }, (_, i) => ({ file: `240p/seg_${String(i).padStart(5, "0")}.m4s`, bytes: randomBytes(300 * 1024) }));
    for (const { file, bytes } of segments) await plain.storage.put(keyOf(file), bytes);
    for (const { file, bytes } of segments) {
      const answer = await rawRequest(small.port, pathOf(file));
      assert.ok(answer.body.equals(bytes), file);
      assert.ok(smallCache.usage().segmentBytes <= 4 * MiB, `within budget after ${file}: ${smallCache.usage().segmentBytes}`);
    }
    await copied(smallCache, segments.at(-1)!.file);
    assert.ok(smallCache.usage().segmentBytes > 3 * MiB, "the budget is used");
    small.keysTouched.length = 0;
    await rawRequest(small.port, pathOf(segments.at(-1)!.file));
    assert.equal(small.keysTouched.length, 0, "the newest is a copy");
    await rawRequest(small.port, pathOf(segments[0]!.file));
    assert.ok(small.keysTouched.includes(keyOf(segments[0]!.file)), "the oldest was evicted");

    // 1.5 MB is over a 4 MiB budget's share, and init.mp4 (700 B) fits the files' budget, not the segments'.
    small.keysTouched.length = 0;
    for (let i = 0; i < 2; i++) await rawRequest(small.port, pathOf("180p/seg_00001.m4s"));
    assert.equal(small.keysTouched.filter((key) => key === keyOf("180p/seg_00001.m4s")).length, 4, "a HEAD and a read each time");
    const segmentBytes = smallCache.usage().segmentBytes;
    await rawRequest(small.port, pathOf("180p/init.mp4"));
    await copied(smallCache, "180p/init.mp4");
    assert.equal(smallCache.usage().segmentBytes, segmentBytes);
    assert.equal(smallCache.usage().fileBytes, 700);
  });
});
