import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { TranscodeJobSchema } from "@kino/proto/media/v1";
import { mediaPrefix } from "@kino/storage";
import { DEAD_LETTER_DELIVERIES_HEADER, DEAD_LETTER_REASON_HEADER, startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

const DECODE_ERROR = "Error while decoding stream #0:0: Invalid data found when processing input";

let stack: TestStack;
let transcoder: RunningTranscoder;
let encodeLog: string;

/**
 * ffmpeg that fails every ladder encode (the only call writing HLS) the way
 * a corrupt stream does, and is the real ffmpeg for probing and posters.
 */
async function writeFailingFfmpeg(dir: string): Promise<string> {
  const path = join(dir, "ffmpeg-corrupt-stream");
  await writeFile(
    path,
    `#!/bin/sh
for arg in "$@"; do
  if [ "$arg" = "hls" ]; then
    echo encode >> "${encodeLog}"
    echo "[h264 @ 0x5581c1a4e940] Invalid NAL unit size (1178 > 1021)." >&2
    echo "[h264 @ 0x5581c1a4e940] Error splitting the input into NAL units." >&2
    echo "${DECODE_ERROR}" >&2
    echo "Conversion failed!" >&2
    exit 1
  fi
done
exec ffmpeg "$@"
`,
  );
  await chmod(path, 0o755);
  return path;
}

before(async () => {
  stack = await startTestStack();
  encodeLog = join(stack.dir.path, "encodes.log");
  await writeFile(encodeLog, "");
  const ffmpegPath = await writeFailingFfmpeg(stack.dir.path);
  transcoder = await startTranscoder(
    stack.transcoderConfig({ KINO_FFMPEG_PATH: ffmpegPath, KINO_TRANSCODE_MAX_ATTEMPTS: "2", KINO_TRANSCODE_RETRY_BACKOFF_MS: "50" }),
    silentLogger(),
  );
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

async function finished(id: string) {
  return eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 30_000, "a finished video");
}

/** Terminated jobs leave the work queue; the TERM may land just after the catalog answered. */
async function jobQueueEmpties(): Promise<void> {
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 3000, "an empty job queue");
}

async function deadLetterOf(videoId: string) {
  const letters = await streamMessages(stack.nats, stack.topology.streams.deadLetters);
  return letters.filter((m) => m.subject === stack.topology.transcodeDeadLetterSubject && fromBinary(TranscodeJobSchema, m.data).videoId === videoId);
}

test("an encode that keeps failing is retried up to the limit, then the video is FAILED with ffmpeg's reason and the job dead-lettered", async () => {
  const id = await stack.uploadVideo(await stack.clip("clip.mp4", { width: 160, height: 90, seconds: 2 }));
  const video = await finished(id);
  assert.equal(video.status, VideoStatus.FAILED);
  assert.equal(video.failureReason, DECODE_ERROR);
  assert.equal((await readFile(encodeLog, "utf8")).trim().split("\n").length, 2, "two encode attempts");

  const letters = await eventually(() => deadLetterOf(id), (l) => l.length > 0, 5000, "the dead letter");
  assert.equal(letters.length, 1);
  assert.equal(letters[0]!.headers?.get(DEAD_LETTER_REASON_HEADER), DECODE_ERROR);
  assert.equal(letters[0]!.headers?.get(DEAD_LETTER_DELIVERIES_HEADER), "2");
  assert.equal(fromBinary(TranscodeJobSchema, letters[0]!.data).jobId, `transcode-${id}`);
  await jobQueueEmpties();
  const outputs: string[] = [];
  for await (const object of stack.storage.list(mediaPrefix(id))) outputs.push(object.key);
  assert.deepEqual(outputs, []);
});

test("a source that is not a video fails at once with the probe's reason, without an encode", async () => {
  const before = (await readFile(encodeLog, "utf8")).length;
  const textFile = join(stack.dir.path, "notes.txt");
  await writeFile(textFile, "this is not a video\n".repeat(50));
  const id = await stack.uploadVideo(textFile);
  const video = await finished(id);
  assert.equal(video.status, VideoStatus.FAILED);
  assert.equal(video.failureReason, "not a video file");
  const letters = await eventually(() => deadLetterOf(id), (l) => l.length > 0, 5000, "the dead letter");
  assert.equal(letters[0]!.headers?.get(DEAD_LETTER_DELIVERIES_HEADER), "1");
  assert.equal((await readFile(encodeLog, "utf8")).length, before, "no encode was attempted");
  await jobQueueEmpties();
});
