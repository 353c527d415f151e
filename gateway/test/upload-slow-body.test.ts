import assert from "node:assert/strict";
import { request } from "node:http";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { makeTestMedia, startUploadCatalog, startUploadHost, type TestMedia, type UploadCatalog, type UploadHost } from "./upload-test-stack.ts";

// A body must bring 2 KiB in every 1 s window: a byte a second is cut, a phone at 6 KiB/s is not.
const limits = { bodyMinBytesPerSecond: 2048, bodyRateWindowMs: 1000 };

let stack: UploadCatalog;
let host: UploadHost;
let media: TestMedia;
let clip: Buffer;

before(async () => {
  [stack, media] = await Promise.all([startUploadCatalog(), makeTestMedia()]);
  host = await startUploadHost(stack, { hostId: "slow", maxSizeBytes: 10 * 1024 * 1024, config: limits });
  clip = await readFile(media.clip);
});
after(async () => {
  await host.close();
  await stack.close();
  await media.dir.remove();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "tus-resumable": "1.0.0", ...headers } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

interface Pace {
  /** Written at once, before the trickle. */
  head?: number;
  chunk: number;
  everyMs: number;
}

/** PATCHes `bytes` from `offset` at `pace`; resolves with the answer, or the socket error if the server cut it without one. */
function trickle(url: string, offset: number, bytes: Buffer, pace: Pace): Promise<Answer | { cut: string }> {
  return new Promise((resolve) => {
    let stopped = false;
    const req = request(
      url,
      {
        method: "PATCH",
        headers: {
          "tus-resumable": "1.0.0",
          "content-type": "application/offset+octet-stream",
          "upload-offset": String(offset),
          "content-length": String(bytes.length),
        },
      },
      (res) => {
        stopped = true;
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", (error) => {
      stopped = true;
      resolve({ cut: error.message });
    });
    void (async () => {
      const head = pace.head ?? 0;
      if (head > 0) req.write(bytes.subarray(0, head));
      for (let at = head; at < bytes.length && !stopped && !req.destroyed; at += pace.chunk) {
        await sleep(pace.everyMs);
        req.write(bytes.subarray(at, at + pace.chunk));
      }
      if (!stopped && !req.destroyed) req.end();
    })();
  });
}

async function newUpload(): Promise<string> {
  const created = await host.uploads.createUpload({ title: "slow", sizeBytes: BigInt(clip.length) });
  const answer = await send(created.uploadUrl, "POST", { "upload-length": String(clip.length) });
  assert.equal(answer.status, 201, answer.body);
  return String(answer.headers.location);
}

test("a PATCH that trickles a byte a second is answered 408 within the window, and the bytes before stay", async () => {
  const url = await newUpload();
  const started = Date.now();
  // 4 KiB at once, then one byte a second.
  const fast = 4096;
  const outcome = await trickle(url, 0, clip, { head: fast, chunk: 1, everyMs: 1000 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 4000, `the trickle was held for ${elapsed} ms`);
  assert.ok("status" in outcome, `expected an answer, the connection was cut instead: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.status, 408, outcome.body);
  assert.match(outcome.body, /slower than 2048 bytes\/s/);

  // Nothing that arrived is lost: the offset holds the fast part, and the upload resumes from it.
  const head = await send(url, "HEAD", {});
  const offset = Number(head.headers["upload-offset"]);
  assert.ok(offset >= fast, `offset ${offset} after the cut`);
  const rest = await send(url, "PATCH", { "content-type": "application/offset+octet-stream", "upload-offset": String(offset) }, clip.subarray(offset));
  assert.equal(rest.status, 204, rest.body);
  assert.equal(Number(rest.headers["upload-offset"]), clip.length);
});

test("a slow but live upload (6 KiB/s, a phone on a poor link) is not cut and completes", async () => {
  const url = await newUpload();
  const part = clip.subarray(0, Math.min(clip.length, 18 * 1024));
  // 1.5 KiB every 250 ms: 6 KiB/s, three times the minimum, for about 3 s (three windows).
  const outcome = await trickle(url, 0, part, { chunk: 1536, everyMs: 250 });
  assert.ok("status" in outcome, `the slow upload was cut: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.status, 204, outcome.body);
  assert.equal(Number(outcome.headers["upload-offset"]), part.length);
  if (part.length < clip.length) {
    const rest = await send(url, "PATCH", { "content-type": "application/offset+octet-stream", "upload-offset": String(part.length) }, clip.subarray(part.length));
    assert.equal(rest.status, 204, rest.body);
  }
  const head = await send(url, "HEAD", {});
  assert.equal(Number(head.headers["upload-offset"]), clip.length);
});
