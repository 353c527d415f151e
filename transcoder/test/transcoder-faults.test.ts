import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { listAttempts, makeScratchDir, SCRATCH_DIR_PREFIX } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages, videoEvents } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";
import { TranscoderProcess } from "./support/transcoder-process.ts";

// Big and slow enough (about two seconds of encoding on one core) to be caught mid-transcode.
const SOURCE = { width: 640, height: 360, seconds: 6 };

let stack: TestStack;
let clip: string;
const processes: TranscoderProcess[] = [];

before(async () => {
  stack = await startTestStack();
  clip = await stack.clip("slow.mp4", SOURCE);
});
after(async () => {
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  await stack?.close();
});

/** A transcoder child process with a short lease, so a dead one's job is redelivered within seconds. */
async function startTranscoder(overrides: Record<string, string> = {}): Promise<TranscoderProcess> {
  const child = await TranscoderProcess.start(stack.transcoderEnv({ KINO_TRANSCODE_ACK_WAIT_MS: "3000", KINO_TRANSCODE_PRESET: "medium", ...overrides }));
  processes.push(child);
  return child;
}

/** Resolves at the first progress event of `videoId`: its ffmpeg is running. */
function firstProgress(videoId: string): Promise<void> {
  const subscription = stack.nats.subscribe(stack.topology.videoEventSubject("progress"));
  return (async () => {
    for await (const message of subscription) {
      if (fromBinary(VideoEventSchema, message.data).videoId === videoId) break;
    }
    subscription.unsubscribe();
  })();
}

async function finished(id: string): Promise<Video> {
  return eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 40_000, "a finished video");
}

/** Jobs' scratch directories in the temp root the stack's transcoders share. */
async function scratchDirs(): Promise<string[]> {
  return (await readdir(stack.dir.path)).filter((name) => name.startsWith(SCRATCH_DIR_PREFIX)).sort();
}

/** READY once, from the one attempt whose outputs are the only ones left, and the job gone from the queue. */
async function assertReadyExactlyOnce(id: string): Promise<void> {
  const video = await finished(id);
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  await stack.catalog.outbox.drained(5000);
  const events = await videoEvents(stack.nats, stack.topology.streams.events, id);
  assert.equal(events.filter((e) => e.kind.case === "ready").length, 1, "one ready event");
  // The winner tidies up after READY and acks last.
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 5000, "the job to leave the work queue");
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  assert.equal(video.playbackPath, `/hls/${id}/${outputId}/master.m3u8`);
  assert.deepEqual(await listAttempts(stack.storage, id), [outputId], "only the served attempt's outputs are left");
}

test("a transcoder SIGKILLed mid-transcode leaves scratch that the next start removes, sparing a live process's; the next one finishes the job, READY once, one set of outputs", async () => {
  const first = await startTranscoder();
  const id = await stack.createVideo();
  const progressed = firstProgress(id);
  await stack.markUploaded(id, clip, SOURCE);
  await progressed;
  const exit = await first.kill("SIGKILL");
  assert.equal(exit.signal, "SIGKILL");
  assert.equal((await stack.getVideo(id)).status, VideoStatus.PROCESSING, "killed before the job finished");
  const leftBehind = await scratchDirs();
  assert.equal(leftBehind.length, 1, "the killed transcoder's scratch is still there");
  assert.ok((await readdir(join(stack.dir.path, leftBehind[0]!))).includes("source"));
  // Another transcoder on this host, mid-job, sharing the temp root: this test process.
  const live = (await makeScratchDir(stack.dir.path)).split("/").at(-1)!;

  const second = await startTranscoder();
  assert.deepEqual(await scratchDirs(), [live], "the dead one's scratch is gone at start, the live one's kept");
  await assertReadyExactlyOnce(id);
  assert.deepEqual(await scratchDirs(), [live], "the finished job removed its own");
  await second.kill("SIGTERM");
});

test("a transcoder sent SIGTERM mid-transcode exits in time, handing its job back or finishing it; the job ends READY once", async () => {
  // Handing a job back (stopping ffmpeg, returning the message, closing connections) gets the budget's
  // last quarter: with 3 s that was 1 s, which a CI box running every test file at once can overrun.
  const shutdownTimeoutMs = 6000;
  const first = await startTranscoder({ KINO_SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) });
  const id = await stack.createVideo();
  const progressed = firstProgress(id);
  await stack.markUploaded(id, clip, SOURCE);
  await progressed;
  const signalledAt = Date.now();
  const exit = await first.kill("SIGTERM");
  const tookMs = Date.now() - signalledAt;
  assert.equal(exit.code, 0, first.output());
  assert.ok(tookMs < shutdownTimeoutMs, `stopped in ${tookMs} ms`);
  const handedBack = first.output().includes('"msg":"transcode stopped; job handed back"');
  const ready = (await stack.getVideo(id)).status === VideoStatus.READY;
  assert.ok(handedBack !== ready, `either handed back or finished (handed back: ${handedBack}, READY: ${ready})`);

  const second = await startTranscoder();
  await assertReadyExactlyOnce(id);
  await second.kill("SIGTERM");
});
