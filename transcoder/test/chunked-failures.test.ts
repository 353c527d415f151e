import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaPrefix, rawPrefix } from "@kino/storage";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { keysUnder } from "./support/chunk-checks.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;
let encodeLog: string;
let failuresLeft: string;

const DECODE_ERROR = "[h264 @ 0x55d0] error while decoding MB 12 7, bytestream -5";

/**
 * The real ffmpeg, except that the range encode starting 8 s in (range 2 of
 * 4 s ranges; the trim filter names its start) fails the way a corrupt
 * stream does, as many times as the counter file says. Every range encode
 * is logged by its start.
 */
async function writeFlakyFfmpeg(dir: string): Promise<string> {
  const path = join(dir, "ffmpeg-flaky-range");
  await writeFile(
    path,
    `#!/bin/sh
for arg in "$@"; do
  case "$arg" in
    *trim=start=*)
      start=$(echo "$arg" | sed 's/.*trim=start=\\([0-9.]*\\).*/\\1/')
      echo "$start" >> "${encodeLog}"
      left=$(cat "${failuresLeft}")
      case "$start" in
        7.98*)
          if [ "$left" -gt 0 ]; then
            echo $((left - 1)) > "${failuresLeft}"
            echo "${DECODE_ERROR}" >&2
            echo "Conversion failed!" >&2
            exit 1
          fi;;
      esac;;
  esac
done
exec ffmpeg "$@"
`,
  );
  await chmod(path, 0o755);
  return path;
}

before(async () => {
  stack = await startTestStack();
  encodeLog = join(stack.dir.path, "range-encodes.log");
  failuresLeft = join(stack.dir.path, "failures-left");
  const ffmpegPath = await writeFlakyFfmpeg(stack.dir.path);
  transcoder = await startTranscoder(
    stack.transcoderConfig({
      KINO_TRANSCODE_RANGE_SECONDS: "4",
      KINO_TRANSCODE_SPLIT_MIN_SECONDS: "8",
      KINO_HLS_SEGMENT_SECONDS: "2",
      KINO_FFMPEG_PATH: ffmpegPath,
      KINO_TRANSCODE_MAX_ATTEMPTS: "2",
      KINO_TRANSCODE_RETRY_BACKOFF_MS: "50",
    }),
    silentLogger(),
  );
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});


const encodesOf = async () => (await readFile(encodeLog, "utf8")).split("\n").filter(Boolean).map((s) => Math.round(Number(s)));

test("a range that fails once is retried alone, and the video still becomes READY", async () => {
  await writeFile(encodeLog, "");
  await writeFile(failuresLeft, "1");
  const clip = await stack.clip("flaky.mp4", { width: 320, height: 180, seconds: 14, gop: 60 });
  const id = await stack.uploadVideo(clip, { width: 320, height: 180, seconds: 14 });
  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 120_000, "a finished video");
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  // Ranges start at 0, 4, 8 and 12 s; only the one at 8 s ran twice.
  assert.deepEqual((await encodesOf()).sort((a, b) => a - b), [0, 4, 8, 8, 12]);
});

test("a range that keeps failing fails the video with the range and ffmpeg's reason, and leaves nothing behind", async () => {
  await writeFile(encodeLog, "");
  await writeFile(failuresLeft, "100");
  const clip = await stack.clip("broken.mp4", { width: 320, height: 180, seconds: 14, gop: 60 });
  const id = await stack.uploadVideo(clip, { width: 320, height: 180, seconds: 14 });
  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 120_000, "a finished video");
  assert.equal(video.status, VideoStatus.FAILED);
  assert.match(video.failureReason, /^range 2 \(8\.0–12\.0 s\): .*error while decoding MB 12 7/, video.failureReason);
  assert.equal((await encodesOf()).filter((s) => s === 8).length, 2, "two attempts, as KINO_TRANSCODE_MAX_ATTEMPTS says");
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 30_000, "every job settled");
  await eventually(() => keysUnder(stack.storage, mediaPrefix(id)), (keys) => keys.length === 0, 10_000, "the failed video's outputs removed");
  assert.deepEqual((await keysUnder(stack.storage, rawPrefix(id))).filter((k) => k.includes("slice")), []);
});
