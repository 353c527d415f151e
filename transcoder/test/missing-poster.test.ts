import assert from "node:assert/strict";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaPrefix } from "@kino/storage";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { playRendition } from "./support/playback.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;

/**
 * Real ffmpeg, except that no JPEG or WebP can be written and no ssim filter
 * runs: every way of making a poster, a storyboard or a preview fails, and
 * so does the quality report.
 */
async function writeFfmpegWithoutJpeg(dir: string): Promise<string> {
  const path = join(dir, "ffmpeg-no-jpeg");
  await writeFile(path, `#!/bin/sh\nfor arg in "$@"; do last="$arg"; case "$arg" in *ssim=stats_file*) echo "[Parsed_ssim_3 @ 0x55d0c0ffee00] Failed to configure input pad" >&2; exit 1;; esac; done\ncase "$last" in *.jpg) echo "[mjpeg @ 0x55d0c0ffee00] no frame to encode" >&2; exit 1;; *.webp) echo "[libwebp_anim @ 0x55d0c0ffee00] encoding failed" >&2; exit 1;; esac\nexec ffmpeg "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

before(async () => {
  stack = await startTestStack();
  transcoder = await startTranscoder(stack.transcoderConfig({ KINO_FFMPEG_PATH: await writeFfmpegWithoutJpeg(stack.dir.path) }), silentLogger());
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

test("a video whose poster, storyboard, preview and quality report cannot be made is READY without them, first time, and the ops metrics count each", async () => {
  const id = await stack.uploadVideo(await stack.clip("clip.mp4", { width: 192, height: 108, seconds: 2 }));
  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 30_000, "a finished video");
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  const prefix = `${mediaPrefix(id)}${outputId}/`;
  assert.equal(await stack.storage.head(`${prefix}poster.jpg`), undefined);
  assert.equal(video.posterPath, "", "the catalog names no poster that is not there");
  assert.equal(await stack.storage.head(`${prefix}storyboard.vtt`), undefined);
  assert.equal(await stack.storage.head(`${prefix}preview.webp`), undefined);
  assert.deepEqual([video.storyboardPath, video.previewPath], ["", ""], "nor a storyboard or preview");
  assert.deepEqual(video.renditions.map((r) => [r.name, r.quality]), [["108p", undefined]], "nor a quality report");
  // Scrubbing by I-frames needs no extra file: the master still lists them.
  assert.match(await text((await stack.storage.get(`${prefix}master.m3u8`)).body), /#EXT-X-I-FRAME-STREAM-INF:/);
  assert.equal((await playRendition(stack.storage, prefix, video.renditions[0]!.name, stack.dir.path)).errors, "");
  const metrics = await (await fetch(`http://127.0.0.1:${transcoder.opsPort}/metrics`)).text();
  for (const output of ["poster", "storyboard", "preview", "quality"]) {
    assert.match(metrics, new RegExp(`^kino_transcode_auxiliary_outputs_missing_total\\{[^}]*output="${output}"[^}]*\\} 1$`, "m"));
  }
  // One attempt: a missing poster is not a failed encode to retry.
  assert.match(metrics, /^kino_transcode_jobs_started_total\{[^}]*\} 1$/m);
});
