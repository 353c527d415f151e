import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createIngest } from "../src/ingest/ingest-batch.ts";
import type { BeaconFormat } from "../src/ingest/parse-batch.ts";
import { binaryBatch, jsonBatch, sdkView } from "./support/sdk-views.ts";

const context = {
  receivedAtMs: Date.now(),
  device: { deviceType: "desktop", osName: "Linux", osVersion: "", browserName: "Chrome", browserVersion: "120.0.0.0" },
  country: "FR",
};

/** An ingest whose buffer keeps what it was given, so a test can read the rows. */
function ingestKeepingRows() {
  const published: string[] = [];
  const ingest = createIngest({
    maxBatchEvents: 1000,
    clockWindow: { pastMs: 86_400_000, futureMs: 300_000 },
    publisher: {
      publish: async (rows) => {
        published.push(...rows);
      },
    },
  });
  return { ingest, published };
}

// The HTTP route hands ingest uWS's own chunk memory, which uWS reuses as soon as the callback returns.
for (const [format, encode] of [["json", (e) => Buffer.from(jsonBatch(e))], ["protobuf", (e) => Buffer.from(binaryBatch(e))]] as const satisfies [BeaconFormat, (e: ReturnType<typeof sdkView>) => Buffer][]) {
  test(`ingest reads a ${format} body before returning: reusing the memory at once changes nothing`, async () => {
    const events = sdkView({ videoId: "video-1", viewerId: "viewer-1", heartbeats: 3, rebuffers: 1 });
    const reference = ingestKeepingRows();
    await reference.ingest(encode(events), format, context);

    const reused = ingestKeepingRows();
    const body = encode(events);
    const pending = reused.ingest(body, format, context);
    body.fill(0);
    const outcome = await pending;
    assert.equal(outcome.accepted, events.length);
    assert.deepEqual(outcome.rejected, []);
    assert.deepEqual(reused.published, reference.published);
    assert.deepEqual(
      reused.published.map((row) => (JSON.parse(row) as { event_id: string }).event_id),
      events.map((e) => e.eventId),
    );
  });
}

// Under load thousands of batches wait for a PubAck at once; what they keep alive meanwhile is copied by every young-generation GC.
test("a batch waiting for the buffer's acknowledgement keeps none of its rows alive", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  let rowsRef: WeakRef<string[]> | undefined;
  let acknowledge!: () => void;
  const ingest = createIngest({
    maxBatchEvents: 1000,
    clockWindow: { pastMs: 86_400_000, futureMs: 300_000 },
    publisher: {
      publish(rows) {
        // A buffer copies what it keeps; the row strings themselves are let go.
        rowsRef = new WeakRef(rows);
        return new Promise<void>((resolve) => (acknowledge = resolve));
      },
    },
  });
  const events = sdkView({ videoId: "video-1", viewerId: "viewer-1", heartbeats: 50 });
  const pending = ingest(Buffer.from(jsonBatch(events)), "json", context);
  // A WeakRef's target lives at least until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(rowsRef?.deref(), undefined, "the rows are still reachable while the batch waits");
  acknowledge();
  assert.equal((await pending).accepted, events.length);
});
