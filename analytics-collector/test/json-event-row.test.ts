import assert from "node:assert/strict";
import { test } from "node:test";
import { toJson } from "@bufbuild/protobuf";
import { EventSchema } from "@kino/proto/analytics/v1";
import { batchRowContext } from "../src/ingest/batch-row-context.ts";
import type { ClockWindow, RequestContext } from "../src/ingest/event-row.ts";
import { toEventRow } from "../src/ingest/event-row.ts";
import { jsonEventRow } from "../src/ingest/json-event-row.ts";
import { decodeJsonEvent } from "../src/ingest/parse-batch.ts";
import { jsonEvent, sdkView } from "./support/sdk-views.ts";

const context: RequestContext = {
  receivedAtMs: Date.now(),
  device: { deviceType: "mobile", osName: "iOS", osVersion: "17.4", browserName: "Mobile \"Safari\"", browserVersion: "17.4" },
  country: "DE",
};
const window: ClockWindow = { pastMs: 86_400_000, futureMs: 300_000 };
const shared = batchRowContext(context, window);

/** The general path's verdict: fromJson, then toEventRow. */
function general(json: unknown): { row: unknown; clamped: boolean } | { error: string } {
  const decoded = decodeJsonEvent(json);
  if ("error" in decoded) return decoded;
  const result = toEventRow(decoded.event, context, window);
  return "error" in result ? result : { row: JSON.parse(JSON.stringify(result.row)), clamped: result.clamped };
}

/** The fast path either defers or writes exactly the general path's row. */
function assertAgrees(json: unknown, label: string): "fast" | "deferred" {
  const fast = jsonEventRow(json, shared);
  if (fast === undefined) return "deferred";
  const reference = general(json);
  assert.ok(!("error" in reference), `${label}: fast path accepted what the general path rejects (${"error" in reference ? reference.error : ""})`);
  assert.deepEqual(JSON.parse(fast.line), reference.row, label);
  assert.equal(fast.clamped, reference.clamped, `${label}: clamped`);
  return "fast";
}

/** As a real body would carry it: keys set to undefined are gone. */
const plain = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const corpus: Record<string, unknown>[] = [
  ...sdkView({ videoId: "v", viewerId: "u", heartbeats: 2, rebuffers: 1, error: true }),
  ...sdkView({ videoId: "v", viewerId: "u", heartbeats: 0, exitBeforeStart: true }),
].map((e) => toJson(EventSchema, e) as Record<string, unknown>);
corpus.push(
  ...[
  jsonEvent("v", { viewStart: undefined, seek: { fromMs: "1000", toMs: "61000" } }),
  jsonEvent("v", { viewStart: undefined, renditionChange: { playheadMs: "5000", rendition: "1080p", bitrateBps: "6000000", width: 1920, height: 1080 } }),
  jsonEvent("v", { viewStart: undefined, error: { code: "E_DECODE", message: "x".repeat(1500), fatal: true } }),
  ].map(plain),
);

test("SDK events in canonical JSON take the fast path and give the general path's rows", () => {
  const types = new Set<string>();
  for (const json of corpus) {
    assert.equal(assertAgrees(json, JSON.stringify(json).slice(0, 200)), "fast");
    types.add(JSON.parse(jsonEventRow(json, shared)?.line ?? "{}").event_type);
  }
  assert.equal(types.size, 9, "the corpus covers every event type");
  const [first] = corpus;
  for (const [label, variant] of Object.entries({
    "number forms, nanos, unknown keys": { ...first, sequence: 7, clientTime: new Date(Date.now() - 1000).toISOString().replace("Z", "987654Z"), futureField: [1], nested: { a: 1 } },
    "time zone offset": { ...first, clientTime: "2026-11-21T15:04:05.5+01:00" },
    "an hour in the future, clamped": { ...first, clientTime: new Date(Date.now() + 3_600_000).toISOString() },
    "a year old, clamped": { ...first, clientTime: new Date(Date.now() - 365 * 86_400_000).toISOString() },
    "quotes and non-ASCII in text": { ...first, sdkName: "kino \"web\" ✓", viewStart: { playerName: "lecteur é\u2028", playerVersion: "\\1" } },
  })) {
    assert.equal(assertAgrees(plain(variant), label), "fast", label);
  }
});

test("anything unusual or invalid is left to the general path, never written differently", () => {
  const odd: unknown[] = [
    null, 0, 1.5, -1, 2 ** 53, 2 ** 60, 4294967296, "", "x", "007", "1e3", "-0", "99999999999999999999", "9007199254740993",
    true, false, {}, [], [1], "a".repeat(33), "a".repeat(65), "a".repeat(129), "ü", "bad id!",
    "2026-01-01T00:00:00+01:00", "2026-02-30T00:00:00Z", "2026-11-21T10:00:00.1234567891Z", "0000-01-01T00:00:00Z",
  ];
  let checked = 0;
  let fast = 0;
  const mutate = (base: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> => {
    const [key, ...rest] = path as [string, ...string[]];
    return { ...base, [key]: rest.length === 0 ? value : mutate(base[key] as Record<string, unknown>, rest, value) };
  };
  const paths = (json: Record<string, unknown>, prefix: string[] = []): string[][] =>
    Object.entries(json).flatMap(([key, value]) => {
      const path = [...prefix, key];
      return typeof value === "object" && value !== null ? [path, ...paths(value as Record<string, unknown>, path)] : [path];
    });
  for (const json of corpus) {
    for (const path of [...paths(json), ["unknownKey"], ["heartbeat", "unknownKey"]]) {
      for (const value of odd) {
        if (assertAgrees(mutate(json, path, value), `${path.join(".")}=${JSON.stringify(value)}`) === "fast") fast++;
        checked++;
      }
    }
  }
  assert.ok(checked > 5000, `${checked} mutations checked`);
  assert.ok(fast > 500 && fast < checked, `some mutations stay on the fast path (${fast} of ${checked})`);
  const [first] = corpus as [Record<string, unknown>];
  for (const [label, variant] of Object.entries({
    "snake_case name": { ...first, event_id: "snake" },
    "snake_case payload name": { ...first, viewStart: undefined, view_start: {} },
    "two payloads": { ...first, heartbeat: {} },
    "no payload": { ...first, viewStart: undefined },
    "missing video id": { ...first, videoId: undefined },
    "missing client time": { ...first, clientTime: undefined },
    "not an object": "event",
  })) {
    assert.equal(jsonEventRow(plain(variant), shared), undefined, label);
  }
});
