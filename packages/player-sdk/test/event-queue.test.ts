import assert from "node:assert/strict";
import { test } from "node:test";
import { EventQueue } from "../src/event-queue.ts";
import { beaconEvent, heartbeat } from "./support/events.ts";

const kinds = (queue: EventQueue) => queue.peekBatch(1000, Infinity).map((e) => e.kind);
const playheads = (queue: EventQueue) => queue.peekBatch(1000, Infinity).map((e) => JSON.parse(e.json).heartbeat?.playheadMs);

test("a full queue drops its oldest heartbeat first and counts the loss", () => {
  const queue = new EventQueue(4);
  queue.push(beaconEvent({ case: "viewStart", value: { autoplay: false, playerName: "", playerVersion: "" } }));
  queue.push(beaconEvent(heartbeat(1000)));
  queue.push(beaconEvent(heartbeat(2000)));
  queue.push(beaconEvent({ case: "seek", value: { fromMs: 1, toMs: 2 } }));
  queue.push(beaconEvent(heartbeat(3000)));
  assert.deepEqual(kinds(queue), ["viewStart", "heartbeat", "seek", "heartbeat"]);
  assert.deepEqual(playheads(queue), [undefined, "2000", undefined, "3000"]);
  assert.equal(queue.dropped, 1);
  assert.equal(queue.size, 4);
});

test("a full queue without heartbeats drops its oldest event", () => {
  const queue = new EventQueue(2);
  queue.push(beaconEvent({ case: "seek", value: { fromMs: 1, toMs: 2 } }));
  queue.push(beaconEvent({ case: "rebufferStart", value: { playheadMs: 5 } }));
  queue.push(beaconEvent({ case: "rebufferEnd", value: { playheadMs: 5, durationMs: 9 } }));
  assert.deepEqual(kinds(queue), ["rebufferStart", "rebufferEnd"]);
  assert.equal(queue.dropped, 1);
});

test("batches are bounded by event count and bytes, and never empty", () => {
  const queue = new EventQueue(100);
  for (let i = 0; i < 10; i++) queue.push(beaconEvent(heartbeat(1000 + i)));
  const fourBytes = queue.peekBatch(4, Infinity).reduce((sum, e) => sum + e.bytes + 1, 0);
  assert.equal(queue.peekBatch(3, Infinity).length, 3);
  assert.equal(queue.peekBatch(10, fourBytes).length, 4);
  assert.equal(queue.peekBatch(10, fourBytes - 1).length, 3);
  assert.equal(queue.peekBatch(10, 1).length, 1);
});

test("removing a delivered batch keeps events queued meanwhile; refused events count as dropped", () => {
  const queue = new EventQueue(100);
  queue.push(beaconEvent(heartbeat(1)));
  queue.push(beaconEvent(heartbeat(2)));
  const inFlight = queue.peekBatch(10, Infinity);
  queue.push(beaconEvent(heartbeat(3)));
  queue.remove(inFlight);
  assert.deepEqual(playheads(queue), ["3"]);
  assert.equal(queue.dropped, 0);
  queue.discard(queue.peekBatch(10, Infinity));
  assert.equal(queue.size, 0);
  assert.equal(queue.dropped, 1);
});

test("a queue bound below one is refused", () => {
  assert.throws(() => new EventQueue(0), RangeError);
});
