import assert from "node:assert/strict";
import { after, test } from "node:test";
import { parseConfig, silentLogger } from "@kino/platform";
import { connect } from "nats";
import { collectorConfigSchema, deleteEventStream, loadNativeUws, startCollector } from "../src/index.ts";
import { collectorEnv } from "./support/test-collector.ts";

// If a failed start left its NATS connection open, this file would never end:
// the runner fails it after its timeout instead of passing.
const first = parseConfig(collectorConfigSchema, collectorEnv("failed_start"));
after(() => deleteEventStream(first.natsUrl, first.streamName));

test("a start whose stream cannot be set up rejects and leaves nothing open", async () => {
  const nc = await connect({ servers: first.natsUrl });
  const jsm = await nc.jetstreamManager();
  // Another stream already owns the subject: the collector's own cannot be created.
  await jsm.streams.add({ name: first.streamName, subjects: [first.subject] });
  await nc.close();
  const second = parseConfig(collectorConfigSchema, collectorEnv("failed_start", { KINO_COLLECTOR_SUBJECT: first.subject }));
  await assert.rejects(startCollector(second, { logger: silentLogger(), uws: loadNativeUws() }), /subjects overlap|overlap/i);
});
