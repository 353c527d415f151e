import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createGrpcClient } from "@kino/grpc";
import { Registry, silentLogger } from "@kino/platform";
import { VideoLifecycleService, VideoStatus } from "@kino/proto/catalog/v1";
import type { Consumer } from "nats";
import { ensureDurableConsumer } from "../src/consumers/ensure-consumer.ts";
import type { LifecycleClient } from "../src/jobs/lifecycle-client.ts";
import { createTranscoderMetrics } from "../src/ops/metrics.ts";
import { createTranscodePool, handleJobMessage, JOB_CONSUMER_NAME, type JobHandlerDeps, type TranscodePool } from "../src/index.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

const ACK_WAIT_MS = 1500;

let stack: TestStack;
let pool: TranscodePool;
let consumer: Consumer;
const unreachable = createGrpcClient(VideoLifecycleService, "127.0.0.1:1");

before(async () => {
  stack = await startTestStack();
  pool = createTranscodePool({ capacity: { cpuSlots: 1, gpuSlots: 0, nvenc: false }, logger: silentLogger(), tempRoot: stack.dir.path });
  await ensureDurableConsumer(await stack.nats.jetstreamManager(), {
    stream: stack.topology.streams.jobs,
    name: JOB_CONSUMER_NAME,
    filterSubject: stack.topology.transcodeJobSubject,
    ackWaitMs: ACK_WAIT_MS,
    maxDeliver: 5,
  });
  consumer = await stack.nats.jetstream().consumers.get(stack.topology.streams.jobs, JOB_CONSUMER_NAME);
});
after(async () => {
  unreachable.close();
  await pool?.close();
  await stack?.close();
});

function depsWith(lifecycle: LifecycleClient): JobHandlerDeps {
  const config = stack.transcoderConfig();
  return {
    pool,
    lifecycle,
    storage: stack.storage,
    storageConfig: { driver: "local", root: config.storageDir },
    js: stack.nats.jetstream(),
    topology: stack.topology,
    settings: { maxAttempts: 1, ackWaitMs: ACK_WAIT_MS, retryBackoffMs: 0, preset: "ultrafast", segmentSeconds: 4 },
    metrics: createTranscoderMetrics(new Registry(), pool),
    logger: silentLogger(),
  };
}

/** The lifecycle API across an outage: unreachable until `restore()`, the real catalog after. */
function interruptedLifecycle(): { client: LifecycleClient; restore(): void } {
  let current: LifecycleClient = unreachable;
  const client = new Proxy({} as LifecycleClient, { get: (_target, key) => Reflect.get(current, key) });
  return { client, restore: () => (current = stack.lifecycle) };
}

async function uploadAndTakeJob(name: string) {
  const id = await stack.uploadVideo(await stack.clip(name, { width: 160, height: 90, seconds: 1 }));
  const message = await consumer.next({ expires: 5000 });
  assert.ok(message, "the catalog queued the job");
  return { id, message };
}

test("while the catalog is unreachable a job keeps its lease and waits; stopped, it is handed back with the video not judged", async () => {
  const { id, message } = await uploadAndTakeJob("a.mp4");
  const stop = new AbortController();
  const handling = handleJobMessage(message, stop.signal, depsWith(unreachable));
  // Two leases long: had the lease lapsed, the server would give the job out again.
  assert.equal(await consumer.next({ expires: 2 * ACK_WAIT_MS }), null, "the waiting job keeps its lease");

  stop.abort(new Error("shutting down"));
  assert.equal(await handling, "handed_back");
  const again = await consumer.next({ expires: 2000 });
  assert.equal(again?.info.deliveryCount, 2, "the job is handed back at once");
  again.ack();
  assert.equal((await stack.getVideo(id)).status, VideoStatus.UPLOADED, "the video was not judged");
  assert.deepEqual(await streamMessages(stack.nats, stack.topology.streams.deadLetters), []);
});

test("a job that waited out a catalog outage finishes on its first delivery", async () => {
  const { id, message } = await uploadAndTakeJob("b.mp4");
  const lifecycle = interruptedLifecycle();
  const handling = handleJobMessage(message, new AbortController().signal, depsWith(lifecycle.client));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  lifecycle.restore();
  assert.equal(await handling, "ready");
  assert.equal(message.info.deliveryCount, 1);
  assert.equal((await stack.getVideo(id)).status, VideoStatus.READY);
});
