import assert from "node:assert/strict";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { DownloadState, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { mediaKey } from "@kino/storage";
import { assertProgressiveMp4 } from "@kino/testkit";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder | undefined;
let clip: string;
const SECONDS = 3;

before(async () => {
  stack = await startTestStack();
  clip = await stack.clip("clip.mp4", { width: 320, height: 180, seconds: SECONDS, gop: 30 });
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

const finished = (id: string) => eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 90_000, "a finished video");
const downloadSettled = (id: string) =>
  eventually(() => stack.getVideo(id), (v) => v.download?.state === DownloadState.READY || v.download?.state === DownloadState.FAILED, 90_000, "a settled download");

/** Fetches the video's download.mp4 from storage and checks it plays whole, with its sound. */
async function checkDownload(video: Video): Promise<void> {
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: video.id });
  assert.equal(video.download!.path, `/hls/${video.id}/${outputId}/download.mp4`);
  const stored = await stack.storage.get(mediaKey(video.id, outputId, "download.mp4"));
  assert.equal(BigInt(stored.info.size), video.download!.sizeBytes, "the catalog records its size");
  const local = join(stack.dir.path, `${video.id}.mp4`);
  await pipeline(stored.body, createWriteStream(local));
  await assertProgressiveMp4(local, { durationSeconds: SECONDS, frameRate: 30, audio: true });
}

test("a download asked for at upload is made with the ladder: READY with the video, a +faststart MP4 of the top rung and its audio that plays whole", async () => {
  transcoder = await startTranscoder(stack.transcoderConfig(), silentLogger());
  const id = await stack.uploadVideo(clip, { width: 320, height: 180, seconds: SECONDS }, { download: true });
  assert.equal((await stack.getVideo(id)).download!.state, DownloadState.PENDING);
  const video = await finished(id);
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  assert.equal(video.download!.state, DownloadState.READY, video.download!.reason);
  await checkDownload(video);
});

test("RequestDownload after READY: a download job makes it from the stored outputs, without re-encoding", async () => {
  const id = await stack.uploadVideo(clip, { width: 320, height: 180, seconds: SECONDS });
  const video = await finished(id);
  assert.equal(video.download!.state, DownloadState.NONE);
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  assert.equal(await stack.storage.head(mediaKey(id, outputId, "download.mp4")), undefined, "none made unasked");
  const requested = (await stack.videos.requestDownload({ videoId: id })).video!;
  assert.equal(requested.download!.state, DownloadState.PENDING);
  const done = await downloadSettled(id);
  assert.equal(done.download!.state, DownloadState.READY, done.download!.reason);
  assert.equal(done.status, VideoStatus.READY);
  await checkDownload(done);
  const metrics = await (await fetch(`http://127.0.0.1:${transcoder!.opsPort}/metrics`)).text();
  assert.match(metrics, /^kino_transcode_jobs_started_total\{[^}]*\} 2$/m, "a download job starts no transcode");
  await transcoder!.close();
  transcoder = undefined;
});

/** Real ffmpeg, except that it cannot write an MP4 named download.mp4. */
async function writeFfmpegWithoutDownloads(dir: string): Promise<string> {
  const path = join(dir, "ffmpeg-no-download");
  await writeFile(path, `#!/bin/sh\nfor arg in "$@"; do last="$arg"; done\ncase "$last" in *download.mp4) echo "[mp4 @ 0x55d0c0ffee00] muxer refused" >&2; exit 1;; esac\nexec ffmpeg "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

test("a download that cannot be made never fails the video: READY with the download FAILED and its reason, at upload and later, and counted", async () => {
  transcoder = await startTranscoder(stack.transcoderConfig({ KINO_FFMPEG_PATH: await writeFfmpegWithoutDownloads(stack.dir.path), KINO_TRANSCODE_MAX_ATTEMPTS: "1" }), silentLogger());
  const id = await stack.uploadVideo(clip, { width: 320, height: 180, seconds: SECONDS }, { download: true });
  const video = await finished(id);
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  assert.equal(video.download!.state, DownloadState.FAILED);
  assert.match(video.download!.reason, /could not be made.*muxer refused/);
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  assert.equal(await stack.storage.head(mediaKey(id, outputId, "download.mp4")), undefined);
  // Counted once the job has settled, just after the catalog took MarkReady.
  const counted = /^kino_transcode_auxiliary_outputs_missing_total\{[^}]*output="download"[^}]*\} 1$/m;
  await eventually(async () => (await fetch(`http://127.0.0.1:${transcoder!.opsPort}/metrics`)).text(), (metrics) => counted.test(metrics), 10_000, "the missing download counted");

  // Asked for again: the download job fails as well, and says why; the video stays READY.
  await stack.videos.requestDownload({ videoId: id });
  const again = await downloadSettled(id);
  assert.equal(again.download!.state, DownloadState.FAILED);
  assert.match(again.download!.reason, /MP4 could not be made: .*muxer refused/);
  assert.equal(again.status, VideoStatus.READY);
});
