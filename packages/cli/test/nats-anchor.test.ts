import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "@kino/platform";
import { requireTestEnv } from "@kino/testkit";
import { connect } from "nats";
import { anchorJetStreamStore, anchorStreamName } from "../src/test-pipeline/nats-anchor.ts";

test("the test NATS keeps an anchor stream, and anchoring again is harmless", async () => {
  const url = requireTestEnv("KINO_TEST_NATS_URL");
  await anchorJetStreamStore(url, silentLogger());
  await anchorJetStreamStore(url, silentLogger());
  const nc = await connect({ servers: url });
  try {
    const info = await (await nc.jetstreamManager()).streams.info(anchorStreamName);
    assert.deepEqual(info.config.subjects, ["kino-test-anchor"]);
  } finally {
    await nc.close();
  }
});
