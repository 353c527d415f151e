import assert from "node:assert/strict";
import type { SentEvent } from "./beacon-requests.ts";
import type { StoredEvent } from "./test-collector.ts";

/** The stored rows are the sent events, each exactly once, numbered 0…n-1 within their view. */
export function assertStoredExactlyOnce(stored: StoredEvent[], sent: SentEvent[], viewId: string): void {
  assert.equal(stored.length, sent.length, "one row per event sent");
  assert.deepEqual(new Set(stored.map((e) => e.event_id)), new Set(sent.map((e) => e.eventId)));
  assert.ok(stored.every((e) => e.view_id === viewId));
  assert.deepEqual(
    stored.map((e) => e.sequence),
    stored.map((_, i) => i),
    "sequence numbers run from 0 without gaps",
  );
}
