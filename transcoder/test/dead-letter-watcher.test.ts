import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { TranscodeJobSchema } from "@kino/proto/media/v1";
import { mediaKey, mediaPrefix } from "@kino/storage";
import { ensureDurableConsumer } from "../src/consumers/ensure-consumer.ts";
import type { PullLoop } from "../src/consumers/pull-loop.ts";
import { DEAD_LETTER_DELIVERIES_HEADER, DEAD_LETTER_REASON_HEADER, JOB_CONSUMER_NAME, startDeadLetterWatcher } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let watcher: PullLoop;

before(async () => {
  stack = await startTestStack();
  watcher = await startDeadLetterWatcher({ nats: stack.nats, topology: stack.topology, lifecycle: stack.lifecycle, storage: stack.storage, logger: silentLogger() });
});
after(async () => {
  await watcher?.stop();
  await stack?.close();
});

/** Two transcoders take the job and die without a word; a third asks for work, and the server announces the exhausted job instead. */
async function exhaustDeliveries(): Promise<void> {
  // The transcoders' consumer as production configures it, with a short lease and two deliveries.
  await ensureDurableConsumer(await stack.nats.jetstreamManager(), {
    stream: stack.topology.streams.jobs,
    name: JOB_CONSUMER_NAME,
    filterSubject: stack.topology.transcodeJobSubject,
    ackWaitMs: 1000,
    maxDeliver: 2,
  });
  const consumer = await stack.nats.jetstream().consumers.get(stack.topology.streams.jobs, JOB_CONSUMER_NAME);
  for (let delivery = 1; delivery <= 2; delivery++) {
    const message = await consumer.next({ expires: 5000 });
    assert.equal(message?.info.deliveryCount, delivery);
  }
  assert.equal(await consumer.next({ expires: 1500 }), null);
}

async function deadLettersOf(videoId: string) {
  const letters = await streamMessages(stack.nats, stack.topology.streams.deadLetters);
  return letters.filter((m) => m.subject === stack.topology.transcodeDeadLetterSubject && fromBinary(TranscodeJobSchema, m.data).videoId === videoId);
}

async function jobQueueEmpties(): Promise<void> {
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 5000, "the job to leave the work queue");
}

test("a job whose every delivery died without an answer ends FAILED and dead-lettered through the server's MaxDeliver advisory", async () => {
  const id = await stack.uploadVideo(await stack.clip("clip.mp4", { width: 160, height: 90, seconds: 1 }));
  await stack.lifecycle.startProcessing({ videoId: id });
  await stack.storage.put(mediaKey(id, "crashed1", "180p", "seg_00000.m4s"), Buffer.from("half a segment"));
  await exhaustDeliveries();

  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.FAILED, 10_000, "the video to be FAILED");
  assert.equal(video.failureReason, "transcoding did not finish after 2 attempts");
  const letters = await eventually(() => deadLettersOf(id), (l) => l.length > 0, 5000, "the dead letter");
  assert.equal(letters.length, 1);
  assert.equal(letters[0]!.headers?.get(DEAD_LETTER_DELIVERIES_HEADER), "2");
  assert.equal(letters[0]!.headers?.get(DEAD_LETTER_REASON_HEADER), video.failureReason);
  await jobQueueEmpties();
  const outputs: string[] = [];
  for await (const object of stack.storage.list(mediaPrefix(id))) outputs.push(object.key);
  assert.deepEqual(outputs, [], "the crashed attempts' outputs are removed");
});

test("an exhausted job whose video became READY meanwhile is only removed from the queue", async () => {
  const id = await stack.uploadVideo(await stack.clip("clip2.mp4", { width: 160, height: 90, seconds: 1 }));
  await stack.lifecycle.startProcessing({ videoId: id });
  // An attempt that reached the catalog but died before acknowledging its job.
  await stack.lifecycle.markReady({ videoId: id, outputId: "served1", durationSeconds: 1, renditions: [] });
  await exhaustDeliveries();

  await jobQueueEmpties();
  const video = await stack.getVideo(id);
  assert.equal(video.status, VideoStatus.READY);
  assert.deepEqual(await deadLettersOf(id), []);
});
