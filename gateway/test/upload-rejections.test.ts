import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { rawPrefix } from "@kino/storage";
import { tusUpload, type TusOutcome } from "./tus-client.ts";
import { makeTestMedia, startUploadCatalog, startUploadHost, type TestMedia, type UploadCatalog, type UploadHost } from "./upload-test-stack.ts";

const MAX_SIZE = 512 * 1024;

let stack: UploadCatalog;
let host: UploadHost;
let media: TestMedia;

before(async () => {
  [stack, media] = await Promise.all([startUploadCatalog(), makeTestMedia()]);
  host = await startUploadHost(stack, { hostId: "solo", maxSizeBytes: MAX_SIZE });
});

after(async () => {
  await host?.close();
  await stack?.close();
  await media?.dir.remove();
});

/** Creates a video, uploads `bytes` to it with tus-js-client in 16 KiB chunks. */
async function upload(bytes: Buffer): Promise<{ videoId: string; outcome: TusOutcome }> {
  const { video, uploadUrl } = await host.uploads.createUpload({ title: "bad input" });
  return { videoId: video!.id, outcome: await tusUpload(uploadUrl, bytes, { chunkSize: 16 * 1024 }) };
}

/** What every refused upload must leave: a clear answer, no bytes anywhere, a healthy gateway. */
async function assertRefused(videoId: string, outcome: TusOutcome, reason: RegExp) {
  assert.equal(outcome.error?.status, 422, `expected 422, got ${JSON.stringify(outcome.error)}`);
  assert.match(outcome.error.body, reason);
  const video = await host.getVideo(videoId);
  assert.equal(video.status, VideoStatus.FAILED);
  assert.match(video.failureReason, reason);
  await assertNothingLeft(videoId);
}

async function assertNothingLeft(videoId: string) {
  const stored: string[] = [];
  for await (const object of stack.storage.list(rawPrefix(videoId))) stored.push(object.key);
  assert.deepEqual(stored, [], "nothing stored under raw/<id>/");
  assert.deepEqual(await host.stagedFiles(), [], "nothing staged");
  assert.equal((await fetch(`${host.baseUrl}/healthz`)).status, 200);
}

test("a text file named .mp4 is FAILED as not a video file", async () => {
  const { videoId, outcome } = await upload(await readFile(media.textAsMp4));
  await assertRefused(videoId, outcome, /^not a video file/);
});

test("a truncated MP4 is FAILED as truncated", async () => {
  const { videoId, outcome } = await upload(await readFile(media.truncated));
  await assertRefused(videoId, outcome, /file is truncated/);
});

test("a zero-byte upload is FAILED as empty", async () => {
  const { videoId, outcome } = await upload(Buffer.alloc(0));
  await assertRefused(videoId, outcome, /^file is empty/);
});

test("an audio-only file is FAILED for having no video stream", async () => {
  const { videoId, outcome } = await upload(await readFile(media.audioOnly));
  await assertRefused(videoId, outcome, /no video stream/);
});

test("a still image is FAILED as not a video", async () => {
  const { videoId, outcome } = await upload(await readFile(media.still));
  await assertRefused(videoId, outcome, /still image is not a video/);
});

test("an upload over the size limit is refused with 413 naming the limit, declared or streamed", async () => {
  const tooBig = Buffer.alloc(MAX_SIZE + 1);
  const declared = await upload(tooBig);
  assert.equal(declared.outcome.error?.status, 413);
  assert.match(declared.outcome.error.body, /larger than the upload limit of 512 KiB/);
  assert.equal((await host.getVideo(declared.videoId)).status, VideoStatus.UPLOADING, "the video may still take a smaller file");
  await assertNothingLeft(declared.videoId);

  // Length deferred: the limit cuts the stream itself.
  const { video, uploadUrl } = await host.uploads.createUpload({ title: "streamed too big" });
  const created = await fetch(uploadUrl, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Defer-Length": "1" } });
  assert.equal(created.status, 201);
  const streamed = await fetch(created.headers.get("location")!, {
    method: "PATCH",
    headers: { "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
    body: tooBig,
  });
  assert.equal(streamed.status, 413);
  assert.equal((await host.getVideo(video!.id)).status, VideoStatus.UPLOADING);
});
