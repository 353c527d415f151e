import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { createPlaybackTokens } from "@kino/playback-tokens";
import { ContentProtection, DownloadState, Visibility, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { assertProgressiveMp4, createTempDir, makeClip, type TempDir } from "@kino/testkit";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";

const SECONDS = 3;
let media: TempDir;
let stack: PipelineStack;
let clip: string;

before(async () => {
  media = await createTempDir("kino-e2e-downloads-");
  stack = await startPipelineStack("local", { segmentSeconds: 1 });
  clip = await makeClip(join(media.path, "clip.mp4"), { width: 320, height: 180, seconds: SECONDS, gop: 30 });
});
after(async () => {
  await stack?.close();
  await media?.remove();
});

/** CreateUpload with `options`, then the whole clip over tus; resolves with the video once `done` holds (or it FAILED). */
async function upload(options: { title: string; visibility?: Visibility; download?: boolean }, done = (v: Video) => v.status === VideoStatus.READY): Promise<Video> {
  const created = await stack.uploads.createUpload(options);
  const body = await readFile(clip);
  const creation = await fetch(created.uploadUrl, { method: "POST", headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length) } });
  const location = new URL(creation.headers.get("location")!, created.uploadUrl).href;
  const patch = await fetch(location, { method: "PATCH", headers: { "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" }, body });
  assert.equal(patch.status, 204);
  return settled(created.video!.id, done);
}

/** Polls the video (WatchVideo ends at READY, before a download asked for later lands). */
async function settled(id: string, done: (v: Video) => boolean): Promise<Video> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const video = (await stack.videos.getVideo({ id })).video!;
    if (done(video) || video.status === VideoStatus.FAILED) return video;
    if (Date.now() > deadline) throw new Error(`video ${id} did not settle: ${VideoStatus[video.status]}, download ${DownloadState[video.download!.state]}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** PlaybackService as the stack's owner (signed-in), or anonymously. */
function playback(signedIn: boolean) {
  const authenticate: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${stack.apiKey}`);
    return next(request);
  };
  return createClient(PlaybackService, createConnectTransport({ baseUrl: stack.baseUrl, httpVersion: "1.1", interceptors: signedIn ? [authenticate] : [] }));
}

/** GETs a download URL: 200 video/mp4, an attachment named `fileName`, bytes that play whole with sound. */
async function checkDownload(url: string, disposition: string, name: string): Promise<void> {
  const answer = await fetch(url);
  assert.equal(answer.status, 200, url);
  assert.equal(answer.headers.get("content-type"), "video/mp4");
  assert.equal(answer.headers.get("content-disposition"), disposition);
  const file = join(media.path, name);
  await writeFile(file, Buffer.from(await answer.arrayBuffer()));
  await assertProgressiveMp4(file, { durationSeconds: SECONDS, frameRate: 30, audio: true });
}

test("upload with a download: READY with it, and GET download.mp4 through the gateway is an attachment named after the title that plays whole", async () => {
  const video = await upload({ title: 'Día de "campo" / 2026', download: true }, (v) => v.status === VideoStatus.READY);
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  assert.equal(video.download!.state, DownloadState.READY, video.download!.reason);
  const info = await playback(false).getPlaybackInfo({ videoId: video.id });
  assert.equal(info.downloadUrl, `${stack.baseUrl}${video.download!.path}`, "a public video's download is a plain URL");
  await checkDownload(info.downloadUrl, `attachment; filename="Dia de campo 2026.mp4"; filename*=UTF-8''D%C3%ADa%20de%20campo%202026.mp4`, "public.mp4");

  const stranger = await stack.newUser("download-stranger");
  await assert.rejects(stranger.videos.requestDownload({ videoId: video.id }), (error: ConnectError) => error.code === Code.PermissionDenied);
});

test("a private video's download follows the stream's rules: 403 without a token or with another video's, 200 with the owner's signed URL", async () => {
  const video = await upload({ title: "private trip", visibility: Visibility.PRIVATE, download: true });
  assert.equal(video.download!.state, DownloadState.READY, video.download!.reason);
  const plain = `${stack.baseUrl}${video.download!.path}`;
  assert.equal((await fetch(plain)).status, 403, "no token");
  const otherToken = createPlaybackTokens(stack.playbackTokenSecret).issue({ videoId: "aaaaaaaaaaaaaaaaaaaa", ttlSeconds: 600 }).token;
  assert.equal((await fetch(plain.replace("/download.mp4", `/~${otherToken}/download.mp4`))).status, 403, "another video's token");
  const info = await playback(true).getPlaybackInfo({ videoId: video.id });
  assert.match(info.downloadUrl, new RegExp(`/hls/${video.id}/[A-Za-z0-9_-]+/~[^/]+/download\\.mp4$`));
  const signed = await fetch(info.downloadUrl);
  assert.match(signed.headers.get("cache-control") ?? "", /^private/);
  await signed.arrayBuffer();
  await checkDownload(info.downloadUrl, `attachment; filename="private trip.mp4"; filename*=UTF-8''private%20trip.mp4`, "private.mp4");

  const stranger = await stack.newUser("download-outsider");
  await assert.rejects(stranger.videos.requestDownload({ videoId: video.id }), (error: ConnectError) => error.code === Code.NotFound, "a private video does not exist to others");
});

test("RequestDownload after READY makes a download appear; a protected upload asking for one is refused", async () => {
  const video = await upload({ title: "later" });
  assert.equal(video.download!.state, DownloadState.NONE);
  assert.equal((await playback(false).getPlaybackInfo({ videoId: video.id })).downloadUrl, "");
  const path = video.playbackPath.replace(/master\.m3u8$/, "download.mp4");
  assert.equal((await fetch(`${stack.baseUrl}${path}`)).status, 404, "none asked for, none served");

  const requested = (await stack.videos.requestDownload({ videoId: video.id })).video!;
  assert.equal(requested.download!.state, DownloadState.PENDING);
  const ready = await settled(video.id, (v) => v.download?.state === DownloadState.READY || v.download?.state === DownloadState.FAILED);
  assert.equal(ready.download!.state, DownloadState.READY, ready.download!.reason);
  assert.equal(ready.download!.path, path);
  const info = await playback(false).getPlaybackInfo({ videoId: video.id });
  await checkDownload(info.downloadUrl, `attachment; filename="later.mp4"; filename*=UTF-8''later.mp4`, "later.mp4");

  await assert.rejects(stack.uploads.createUpload({ title: "protected", contentProtection: ContentProtection.AES_128, download: true }), (error: ConnectError) => error.code === Code.FailedPrecondition);
});
