import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createGrpcClient } from "@kino/grpc";
import { Registry, silentLogger } from "@kino/platform";
import { VideoLifecycleService, VideoStatus } from "@kino/proto/catalog/v1";
import { ensureDurableConsumer } from "../src/consumers/ensure-consumer.ts";
import { createTranscoderMetrics } from "../src/ops/metrics.ts";
import { createTranscodePool, handleJobMessage, JOB_CONSUMER_NAME, type JobHandlerDeps, type TranscodePool } from "../src/index.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let pool: TranscodePool;

before(async () => {
  stack = await startTestStack();
  pool = createTranscodePool({ capacity: { cpuSlots: 1, gpuSlots: 0, nvenc: false }, logger: silentLogger(), tempRoot: stack.dir.path });
});
after(async () => {
  await pool?.close();
  await stack?.close();
});

test("with the catalog unreachable a job is handed back for later, the video not judged and nothing dead-lettered", async () => {
  const id = await stack.uploadVideo(await stack.clip("clip.mp4", { width: 160, height: 90, seconds: 1 }));
  await ensureDurableConsumer(await stack.nats.jetstreamManager(), {
    stream: stack.topology.streams.jobs,
    name: JOB_CONSUMER_NAME,
    filterSubject: stack.topology.transcodeJobSubject,
    ackWaitMs: 30_000,
    maxDeliver: 5,
  });
  const consumer = await stack.nats.jetstream().consumers.get(stack.topology.streams.jobs, JOB_CONSUMER_NAME);
  const unreachable = createGrpcClient(VideoLifecycleService, "127.0.0.1:1");
  const config = stack.transcoderConfig();
  const deps: JobHandlerDeps = {
    pool,
    lifecycle: unreachable,
    storage: stack.storage,
    storageConfig: { driver: "local", root: config.storageDir },
    js: stack.nats.jetstream(),
    topology: stack.topology,
    settings: { maxAttempts: 1, ackWaitMs: 30_000, retryBackoffMs: 0, preset: "ultrafast", segmentSeconds: 4 },
    metrics: createTranscoderMetrics(new Registry(), pool),
    logger: silentLogger(),
  };
  try {
    const message = await consumer.next({ expires: 5000 });
    assert.ok(message, "the catalog queued the job");
    const handedBackAt = Date.now();
    assert.equal(await handleJobMessage(message, new AbortController().signal, deps), "deferred");

    const again = await consumer.next({ expires: 5000 });
    assert.equal(again?.info.deliveryCount, 2, "the job came back");
    assert.ok(Date.now() - handedBackAt >= 900, "after a delay, not at once");
    again.ack();
    assert.equal((await stack.getVideo(id)).status, VideoStatus.UPLOADED, "the video was not judged");
    assert.deepEqual(await streamMessages(stack.nats, stack.topology.streams.deadLetters), []);
  } finally {
    unreachable.close();
  }
});
