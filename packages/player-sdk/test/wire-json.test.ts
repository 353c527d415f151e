import assert from "node:assert/strict";
import { test } from "node:test";
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { EventSchema } from "@kino/proto/analytics/v1";
import type { Payload, PayloadCase } from "../src/index.ts";
import { batchBody, eventJson } from "../src/wire-json.ts";
import { beaconEvent } from "./support/events.ts";

const counters = { watchTimeMs: 12_345, rebufferTimeMs: 700, playedBits: 9_007_199_254, droppedFrames: 3 };

const payloads: { [C in PayloadCase]: Extract<Payload, { case: C }> } = {
  viewStart: { case: "viewStart", value: { autoplay: true, playerName: "p", playerVersion: "1" } },
  playing: { case: "playing", value: { playheadMs: 0, startupTimeMs: 850 } },
  heartbeat: { case: "heartbeat", value: { playheadMs: 10_000, rendition: "720p", bitrateBps: 2_500_000, bufferLengthMs: 8000, counters } },
  rebufferStart: { case: "rebufferStart", value: { playheadMs: 4000 } },
  rebufferEnd: { case: "rebufferEnd", value: { playheadMs: 4000, durationMs: 650 } },
  seek: { case: "seek", value: { fromMs: 1000, toMs: 90_000 } },
  renditionChange: { case: "renditionChange", value: { playheadMs: 5, rendition: "1080p", bitrateBps: 6_000_000, width: 1920, height: 1080 } },
  error: { case: "error", value: { playheadMs: 9, code: "MEDIA_ERR_DECODE", message: "bad frame", fatal: true } },
  viewEnd: { case: "viewEnd", value: { playheadMs: 60_000, counters: { watchTimeMs: 0, rebufferTimeMs: 0, playedBits: 0, droppedFrames: 0 } } },
};

test("every payload is written exactly as protobuf-es writes the generated Event's canonical JSON", () => {
  for (const payload of Object.values(payloads)) {
    for (const clientTimeMs of [Date.UTC(2026, 0, 2, 3, 4, 5, 678), Date.UTC(2026, 0, 2, 3, 4, 5)]) {
      const json = eventJson(beaconEvent(payload, { clientTimeMs, sequence: 41 }));
      const decoded = fromJson(EventSchema, json as JsonValue);
      assert.equal(decoded.payload.case, payload.case);
      assert.equal(decoded.sequence, 41n);
      assert.equal(decoded.clientTime?.seconds, BigInt(Math.floor(clientTimeMs / 1000)));
      assert.deepEqual(toJson(EventSchema, decoded), json, payload.case);
    }
  }
});

test("a batch body is an EventBatch of the encoded events", () => {
  const events = [payloads.viewStart, payloads.seek].map((p) => JSON.stringify(eventJson(beaconEvent(p))));
  const body = JSON.parse(batchBody(events));
  assert.deepEqual(body.events.map((e: JsonValue) => fromJson(EventSchema, e).payload.case), ["viewStart", "seek"]);
});
