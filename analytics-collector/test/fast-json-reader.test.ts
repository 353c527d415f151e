import assert from "node:assert/strict";
import { test } from "node:test";
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { EventSchema, type Event } from "@kino/proto/analytics/v1";
import { createFastJsonReader } from "../src/ingest/fast-json-reader.ts";
import { sdkView } from "./support/sdk-views.ts";

const fast = createFastJsonReader(EventSchema);

function viaFromJson(json: unknown): Event | Error {
  try {
    return fromJson(EventSchema, json as JsonValue, { ignoreUnknownFields: true });
  } catch (error) {
    return error as Error;
  }
}

/** The fast reader either defers (undefined) or agrees with fromJson exactly. */
function assertAgrees(json: unknown, label: string): "fast" | "deferred" {
  const quick = fast(json);
  const reference = viaFromJson(json);
  if (quick === undefined) return "deferred";
  assert.ok(!(reference instanceof Error), `${label}: fast reader accepted what fromJson rejects (${String(reference)})`);
  assert.deepEqual(quick, reference, label);
  return "fast";
}

const corpus = [
  ...sdkView({ videoId: "v", viewerId: "u", heartbeats: 2, rebuffers: 1, error: true }),
  ...sdkView({ videoId: "v", viewerId: "u", heartbeats: 0, exitBeforeStart: true }),
].map((e) => toJson(EventSchema, e) as Record<string, unknown>);

test("SDK events in canonical JSON take the fast path and decode exactly as fromJson does", () => {
  const kinds = new Set<string>();
  for (const json of corpus) {
    assert.equal(assertAgrees(json, JSON.stringify(json)), "fast");
    kinds.add(Object.keys(json).find((k) => !["eventId", "viewId", "viewerId", "videoId", "sdkName", "sdkVersion", "clientTime", "sequence"].includes(k)) ?? "");
  }
  assert.ok(kinds.size >= 6, "the corpus covers the payload kinds");
  assert.equal(assertAgrees({ ...corpus[0], sequence: 7, clientTime: "2026-01-02T03:04:05.123456789Z", futureField: [1] }, "numbers, nanos, unknown key"), "fast");
});

test("anything unusual is left to fromJson, never decoded differently", () => {
  const odd: unknown[] = [null, 1.5, -1, "x", "007", "1e3", true, {}, [], 2 ** 60, "2026-01-01T00:00:00+01:00", "2026-02-30T00:00:00Z", "99999999999999999999"];
  let checked = 0;
  for (const json of corpus) {
    for (const key of Object.keys(json)) {
      for (const value of odd) {
        assertAgrees({ ...json, [key]: value }, `${key}=${JSON.stringify(value)}`);
        checked++;
      }
      const nested = json[key];
      if (typeof nested === "object" && nested !== null) {
        for (const inner of Object.keys(nested)) {
          for (const value of odd) assertAgrees({ ...json, [key]: { ...nested, [inner]: value } }, `${key}.${inner}=${JSON.stringify(value)}`);
        }
      }
    }
  }
  assert.ok(checked > 500);
  assert.equal(assertAgrees({ ...corpus[0], event_id: "snake" }, "snake_case alias"), "deferred");
  assert.equal(assertAgrees({ ...corpus[0], heartbeat: {} }, "two payloads"), "deferred");
});
