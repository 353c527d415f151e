import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect, type IncomingHttpHeaders } from "node:http2";
import { after, before, describe, test } from "node:test";
import { mediaKey, rawKey } from "@kino/storage";
import { rawRequest, startOriginTestServer, type OriginTestServer } from "./origin-test-server.ts";

const videoId = "vid_origin01";
const outputId = "out_current";
const abandonedOutputId = "out_abandoned";
const playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=320x180\n180p/index.m3u8\n";
const segment = randomBytes(4096);
const secret = Buffer.from("the raw upload must never leave through the origin");

let server: OriginTestServer;
let url: (path: string) => string;

before(async () => {
  server = await startOriginTestServer();
  url = (path) => `${server.baseUrl}${path}`;
  const { storage } = server;
  await storage.put(mediaKey(videoId, outputId, "master.m3u8"), Buffer.from(playlist));
  await storage.put(mediaKey(videoId, outputId, "180p", "seg_00001.m4s"), segment);
  await storage.put(mediaKey(videoId, outputId, "180p", "init.mp4"), randomBytes(512));
  await storage.put(mediaKey(videoId, outputId, "poster.jpg"), randomBytes(256));
  await storage.put(mediaKey(videoId, outputId, "storyboard.vtt"), Buffer.from("WEBVTT\n"));
  await storage.put(mediaKey(videoId, outputId, "storyboard", "sheet-00.jpg"), randomBytes(256));
  await storage.put(mediaKey(videoId, outputId, "preview.webp"), randomBytes(256));
  await storage.put(mediaKey(videoId, abandonedOutputId, "master.m3u8"), Buffer.from(playlist));
  await storage.put(rawKey(videoId, "source"), secret);
  server.playback.set(videoId, outputId);
});
after(() => server.close());

const segmentPath = `/hls/${videoId}/${outputId}/180p/seg_00001.m4s`;

describe("serving outputs", () => {
  test("a playlist is served with its content type and a short cache lifetime", async () => {
    const res = await fetch(url(`/hls/${videoId}/${outputId}/master.m3u8`), { headers: { origin: "https://player.example" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.apple.mpegurl");
    assert.equal(res.headers.get("cache-control"), "public, max-age=10");
    assert.equal(res.headers.get("content-length"), String(Buffer.byteLength(playlist)));
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.match(res.headers.get("access-control-expose-headers") ?? "", /Content-Range/);
    assert.equal(await res.text(), playlist);
  });

  test("segments, init files, posters, storyboards and previews are immutable with validators", async () => {
    for (const [path, type] of [
      [segmentPath, "video/iso.segment"],
      [`/hls/${videoId}/${outputId}/180p/init.mp4`, "video/mp4"],
      [`/hls/${videoId}/${outputId}/poster.jpg`, "image/jpeg"],
      [`/hls/${videoId}/${outputId}/storyboard.vtt`, "text/vtt; charset=utf-8"],
      [`/hls/${videoId}/${outputId}/storyboard/sheet-00.jpg`, "image/jpeg"],
      [`/hls/${videoId}/${outputId}/preview.webp`, "image/webp"],
    ] as const) {
      const res = await fetch(url(path));
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("content-type"), type);
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.equal(res.headers.get("accept-ranges"), "bytes");
      assert.match(res.headers.get("etag") ?? "", /^"[^"]+"$/);
      assert.ok(!Number.isNaN(Date.parse(res.headers.get("last-modified") ?? "")));
      await res.arrayBuffer();
    }
    const res = await fetch(url(segmentPath));
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), segment);
  });

  test("HEAD describes the file without a body", async () => {
    const res = await rawRequest(server.port, segmentPath, { method: "HEAD" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-length"], String(segment.length));
    assert.equal(res.headers["content-type"], "video/iso.segment");
    assert.equal(res.body.length, 0);
  });

  test("other methods are refused with the allowed ones", async () => {
    const res = await fetch(url(segmentPath), { method: "DELETE" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
  });

  test("a CORS preflight for a ranged fetch is allowed", async () => {
    const res = await fetch(url(segmentPath), {
      method: "OPTIONS",
      headers: { origin: "https://player.example", "access-control-request-method": "GET", "access-control-request-headers": "range" },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /\bRange\b/);
  });
});

describe("over HTTP/2 (h2c with prior knowledge)", () => {
  async function h2Request(headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
    const session = connect(server.baseUrl);
    try {
      return await new Promise((resolve, reject) => {
        const stream = session.request(headers);
        const chunks: Buffer[] = [];
        let responseHeaders: IncomingHttpHeaders = {};
        stream.on("response", (h) => (responseHeaders = h));
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => resolve({ headers: responseHeaders, body: Buffer.concat(chunks) }));
        stream.on("error", reject);
        stream.end();
      });
    } finally {
      session.close();
    }
  }

  test("ranges and HEAD behave as over HTTP/1.1", async () => {
    const ranged = await h2Request({ ":path": segmentPath, range: "bytes=10-19" });
    assert.equal(ranged.headers[":status"], 206);
    assert.equal(ranged.headers["content-range"], `bytes 10-19/${segment.length}`);
    assert.deepEqual(ranged.body, segment.subarray(10, 20));
    const head = await h2Request({ ":path": segmentPath, ":method": "HEAD" });
    assert.equal(head.headers[":status"], 200);
    assert.equal(head.headers["content-length"], String(segment.length));
    assert.equal(head.body.length, 0);
  });
});

describe("byte ranges", () => {
  async function ranged(range: string) {
    const res = await fetch(url(segmentPath), { headers: { range } });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
  }

  test("start-end, open-ended and suffix ranges return exactly those bytes", async () => {
    const size = segment.length;
    for (const [range, start, end] of [
      ["bytes=0-99", 0, 99],
      ["bytes=1000-", 1000, size - 1],
      ["bytes=-300", size - 300, size - 1],
      ["bytes=4000-999999", 4000, size - 1],
      ["bytes=-999999", 0, size - 1],
    ] as const) {
      const { res, body } = await ranged(range);
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`, range);
      assert.equal(res.headers.get("content-length"), String(end - start + 1), range);
      assert.deepEqual(body, segment.subarray(start, end + 1), range);
    }
  });

  test("a range beyond the end is unsatisfiable and names the size", async () => {
    for (const range of [`bytes=${segment.length}-`, "bytes=-0"]) {
      const { res } = await ranged(range);
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get("content-range"), `bytes */${segment.length}`);
    }
  });

  test("several ranges or a malformed one get the whole file", async () => {
    for (const range of ["bytes=0-1,5-9", "bytes=9-2", "items=0-5", "bytes=abc"]) {
      const { res, body } = await ranged(range);
      assert.equal(res.status, 200, range);
      assert.deepEqual(body, segment, range);
    }
  });

  test("If-Range honours the range only while the entity tag still matches", async () => {
    const etag = (await fetch(url(segmentPath), { method: "HEAD" })).headers.get("etag")!;
    const matching = await fetch(url(segmentPath), { headers: { range: "bytes=0-9", "if-range": etag } });
    assert.equal(matching.status, 206);
    await matching.arrayBuffer();
    const stale = await fetch(url(segmentPath), { headers: { range: "bytes=0-9", "if-range": '"older"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, segment.length);
  });
});

describe("conditional requests", () => {
  test("If-None-Match with the current tag answers 304 without a body", async () => {
    const first = await fetch(url(segmentPath));
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, "*"]) {
      const res = await rawRequest(server.port, segmentPath, { headers: { "if-none-match": ifNoneMatch } });
      assert.equal(res.status, 304, ifNoneMatch);
      assert.equal(res.headers.etag, etag);
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(res.body.length, 0);
    }
    const changed = await fetch(url(segmentPath), { headers: { "if-none-match": '"other"' } });
    assert.equal(changed.status, 200);
    await changed.arrayBuffer();
  });

  test("If-Modified-Since answers 304 unless the file is newer", async () => {
    const lastModified = (await fetch(url(segmentPath), { method: "HEAD" })).headers.get("last-modified")!;
    const notModified = await fetch(url(segmentPath), { headers: { "if-modified-since": lastModified } });
    assert.equal(notModified.status, 304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    const modified = await fetch(url(segmentPath), { headers: { "if-modified-since": earlier } });
    assert.equal(modified.status, 200);
    await modified.arrayBuffer();
  });
});

describe("what is never served", () => {
  test("path tricks answer 404 and never reach storage outside the attempt's folder", async () => {
    const attempts = [
      `/hls/${videoId}/${outputId}/../../raw/${videoId}/source`,
      `/hls/${videoId}/../../raw/${videoId}/source`,
      `/hls/${videoId}/${outputId}/%2e%2e/%2e%2e/%2e%2e/raw/${videoId}/source`,
      `/hls/${videoId}/${outputId}/..%2F..%2F..%2Fraw%2F${videoId}%2Fsource`,
      `/hls/${videoId}/${outputId}/180p%2Fseg_00001.m4s`,
      `/hls/${videoId}/${outputId}/..\\..\\raw\\${videoId}\\source`,
      `/hls/${videoId}/${outputId}//etc/passwd`,
      `/hls//etc/passwd`,
      `/hls/${videoId}/${outputId}/./master.m3u8`,
      `/hls/${videoId}/${outputId}/180p/../master.m3u8`,
      `/hls/${videoId}/${outputId}/master.m3u8/`,
      `/hls/${videoId}/${outputId}/a/b/c/d.m4s`,
      `/hls/${videoId}/${outputId}/180p`,
      `/hls/${videoId}/${outputId}/source`,
      `/hls/${videoId}/${outputId}/master.m3u8%00.jpg`,
      `/hls/${videoId}/${outputId}?../../raw/${videoId}/source`,
      `/hls/${"v".repeat(65)}/${outputId}/master.m3u8`,
    ];
    server.keysTouched.length = 0;
    for (const path of attempts) {
      const res = await rawRequest(server.port, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers["cache-control"], "no-store", path);
      assert.ok(!res.body.includes(secret), path);
    }
    assert.deepEqual(server.keysTouched, []);
  });

  test("an abandoned attempt's outputs answer 404 while the current attempt plays", async () => {
    const abandoned = await fetch(url(`/hls/${videoId}/${abandonedOutputId}/master.m3u8`));
    assert.equal(abandoned.status, 404);
    const current = await fetch(url(`/hls/${videoId}/${outputId}/master.m3u8`));
    assert.equal(current.status, 200);
    assert.equal(await current.text(), playlist);
  });

  test("a video that is not playable (unknown, not READY, deleted) answers 404", async () => {
    const unknown = await fetch(url(`/hls/vid_unknown/${outputId}/master.m3u8`));
    assert.equal(unknown.status, 404);
    const other = "vid_not_ready";
    await server.storage.put(mediaKey(other, outputId, "master.m3u8"), Buffer.from(playlist));
    const notReady = await fetch(url(`/hls/${other}/${outputId}/master.m3u8`));
    assert.equal(notReady.status, 404);
    server.playback.set(other, outputId);
    const ready = await fetch(url(`/hls/${other}/${outputId}/master.m3u8`));
    assert.equal(ready.status, 200);
    await ready.text();
  });

  test("a missing file of the current attempt answers 404", async () => {
    const res = await fetch(url(`/hls/${videoId}/${outputId}/180p/seg_09999.m4s`));
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("cache-control"), "no-store");
  });
});
