import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;

before(async () => {
  stack = await startTestStack();
  // One host; sources of 20 s or more are split into 4 s ranges.
  transcoder = await startTranscoder(
    stack.transcoderConfig({ KINO_TRANSCODE_RANGE_SECONDS: "4", KINO_TRANSCODE_SPLIT_MIN_SECONDS: "20", KINO_HLS_SEGMENT_SECONDS: "2", KINO_TRANSCODE_PRESET: "veryfast" }),
    silentLogger(),
  );
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

test("a 10 s upload made while a long video is chunk-encoded on the same host is READY before the long one", async () => {
  const long = await stack.uploadVideo(await stack.clip("long.mp4", { width: 960, height: 540, seconds: 40, gop: 60 }), { width: 960, height: 540, seconds: 40 });
  // Playable from its passthrough: being split, its 10 ranges about to be queued.
  await eventually(() => stack.getVideo(long), (v) => v.playable || v.status !== VideoStatus.PROCESSING, 120_000, "the long video playable");
  const short = await stack.uploadVideo(await stack.clip("short.mp4", { width: 320, height: 180, seconds: 10 }), { width: 320, height: 180, seconds: 10 });
  const finished = (v: Video) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED;
  const shortVideo = await eventually(() => stack.getVideo(short), finished, 120_000, "the short video finished");
  assert.equal(shortVideo.status, VideoStatus.READY, shortVideo.failureReason);
  const longNow = await stack.getVideo(long);
  assert.equal(longNow.status, VideoStatus.PROCESSING, "the long video is still being encoded when the short one is READY");
  const longVideo = await eventually(() => stack.getVideo(long), finished, 300_000, "the long video finished");
  assert.equal(longVideo.status, VideoStatus.READY, longVideo.failureReason);
});
