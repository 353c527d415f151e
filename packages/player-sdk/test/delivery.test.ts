import assert from "node:assert/strict";
import { test } from "node:test";
import { createDelivery } from "../src/delivery.ts";
import { EventQueue } from "../src/event-queue.ts";
import type { SendResult, Transport } from "../src/transport.ts";
import { beaconEvent, heartbeat } from "./support/events.ts";

/** A transport answering from a script, recording the events of each body it was given. */
function scriptedTransport(answers: SendResult[], beaconAccepts = () => true) {
  const sent: string[][] = [];
  const beacons: string[][] = [];
  const ids = (body: string) => JSON.parse(body).events.map((e: { eventId: string }) => e.eventId);
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    async send(body) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent.push(ids(body));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return answers.shift() ?? { outcome: "delivered" };
    },
    beacon(body) {
      if (!beaconAccepts()) return false;
      beacons.push(ids(body));
      return true;
    },
  };
  return { transport, sent, beacons, maxInFlight: () => maxInFlight };
}

function setup(answers: SendResult[], overrides: { batchMaxEvents?: number; beaconAccepts?: () => boolean } = {}) {
  const queue = new EventQueue(100);
  const script = scriptedTransport(answers, overrides.beaconAccepts);
  const delivery = createDelivery({
    queue,
    transport: script.transport,
    backoff: { baseMs: 20, maxMs: 40, random: () => 0 },
    batchMaxEvents: overrides.batchMaxEvents ?? 2,
    batchMaxBytes: 60 * 1024,
    flushIntervalMs: 10_000,
  });
  const ids: string[] = [];
  const push = (count: number) => {
    for (let i = 0; i < count; i++) {
      const event = beaconEvent(heartbeat(1000 + i));
      ids.push(event.eventId);
      queue.push(event);
    }
  };
  return { queue, delivery, ids, push, ...script };
}

const waitFor = async (done: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test("flush sends the queue in order, in batches, one request at a time", async (t) => {
  const { delivery, ids, push, sent, maxInFlight, queue } = setup([]);
  t.after(() => delivery.close());
  push(5);
  await Promise.all([delivery.flush(), delivery.flush()]);
  assert.deepEqual(sent, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  assert.equal(maxInFlight(), 1);
  assert.equal(queue.size, 0);
  assert.deepEqual(delivery.stats(), { queued: 0, dropped: 0, delivered: 5, retries: 0 });
});

test("a failed batch is retried after a backoff, unchanged, and delivered once", async (t) => {
  const { delivery, ids, push, sent } = setup([{ outcome: "retry" }, { outcome: "retry", retryAfterMs: 30 }]);
  t.after(() => delivery.close());
  push(2);
  const started = Date.now();
  await delivery.flush();
  assert.equal(sent.length, 1);
  // While backing off, an explicit flush leaves the queue to the scheduled retry.
  await delivery.flush();
  assert.equal(sent.length, 1);
  await waitFor(() => delivery.stats().delivered === 2);
  assert.ok(Date.now() - started >= 10 + 30, "waited for the backoff and for Retry-After");
  assert.deepEqual(sent, [ids, ids, ids]);
  assert.equal(delivery.stats().retries, 2);
});

test("a batch the collector refuses is dropped and counted, and the queue moves on", async (t) => {
  const { delivery, ids, push, sent } = setup([{ outcome: "refused", status: 400 }]);
  t.after(() => delivery.close());
  push(3);
  await delivery.flush();
  assert.deepEqual(sent, [ids.slice(0, 2), ids.slice(2)]);
  assert.deepEqual(delivery.stats(), { queued: 0, dropped: 2, delivered: 1, retries: 0 });
});

test("a full batch is sent without waiting for the flush interval", async (t) => {
  const { delivery, push, sent } = setup([], { batchMaxEvents: 3 });
  t.after(() => delivery.close());
  push(2);
  delivery.notifyQueued();
  push(1);
  delivery.notifyQueued();
  await waitFor(() => sent.length === 1);
  assert.equal(sent[0]!.length, 3);
});

test("sendBeacon takes the queue in batches and what it refuses stays queued", async (t) => {
  let accepts = 2;
  const { delivery, ids, push, beacons, queue } = setup([], { beaconAccepts: () => accepts-- > 0 });
  t.after(() => delivery.close());
  push(5);
  delivery.flushWithBeacon();
  assert.deepEqual(beacons, [ids.slice(0, 2), ids.slice(2, 4)]);
  assert.equal(queue.size, 1);
  accepts = 1;
  delivery.flushWithBeacon();
  assert.deepEqual(beacons.at(-1), ids.slice(4));
  assert.equal(queue.size, 0);
});
