import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { connect, type NatsConnection } from "nats";
import { create } from "@bufbuild/protobuf";
import { TranscodeJobSchema } from "@kino/proto/media/v1";
import { requireTestEnv } from "@kino/testkit";
import { createTopology, ensureStreams, publishMessage } from "../src/index.ts";

let nc: NatsConnection;
const topology = createTopology(`t${randomBytes(4).toString("hex")}`);

before(async () => {
  nc = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
});
after(async () => {
  const jsm = await nc.jetstreamManager();
  for (const name of Object.values(topology.streams)) await jsm.streams.delete(name).catch(() => {});
  await nc.close();
});

test("streams are created once and re-ensuring them is harmless, also concurrently", async () => {
  const jsm = await nc.jetstreamManager();
  await Promise.all([ensureStreams(jsm, topology.streamConfigs()), ensureStreams(jsm, topology.streamConfigs())]);
  await ensureStreams(jsm, topology.streamConfigs());
  const info = await jsm.streams.info(topology.streams.jobs);
  assert.equal(info.config.retention, "workqueue");
  assert.deepEqual(info.config.subjects, [topology.transcodeJobSubject.replace(/transcode$/, ">")]);
});

test("a retried publish with the same message id is stored once", async () => {
  const jsm = await nc.jetstreamManager();
  await ensureStreams(jsm, topology.streamConfigs());
  const js = nc.jetstream();
  const job = create(TranscodeJobSchema, { jobId: "job-1", videoId: "v1", sourceKey: "raw/v1/source" });
  const first = await publishMessage(js, topology.transcodeJobSubject, TranscodeJobSchema, job, job.jobId);
  const second = await publishMessage(js, topology.transcodeJobSubject, TranscodeJobSchema, job, job.jobId);
  assert.equal(first.duplicate, false);
  assert.equal(second.duplicate, true);
  assert.equal(second.seq, first.seq);
  assert.equal((await jsm.streams.info(topology.streams.jobs)).state.messages, 1);
});
