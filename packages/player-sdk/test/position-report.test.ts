import assert from "node:assert/strict";
import { test } from "node:test";
import { reportPosition } from "../src/position-report.ts";
import { trackView } from "../src/view-state.ts";
import { FakeClock, FakeMedia } from "./support/fake-media.ts";

test("onPosition hears the playhead of every heartbeat and of the view end, and nothing else", () => {
  const media = new FakeMedia();
  const clock = new FakeClock();
  const positions: number[] = [];
  const tracker = trackView({ media, now: clock.now, emit: (p) => reportPosition(p, (ms) => positions.push(ms)), playerName: "", playerVersion: "" });
  media.paused = false;
  media.fire("play");
  media.fire("playing");
  media.currentTime = 4.2;
  tracker.heartbeat();
  media.currentTime = 9.5;
  tracker.heartbeat();
  media.currentTime = 12;
  tracker.end();
  assert.deepEqual(positions, [4200, 9500, 12000]);
});

test("a listener that throws does not break the view's reporting", () => {
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.doesNotThrow(() =>
      reportPosition({ case: "heartbeat", value: { playheadMs: 1, rendition: "", bitrateBps: 0, bufferLengthMs: 0 } } as never, () => {
        throw new Error("app bug");
      }),
    );
  } finally {
    console.warn = warn;
  }
});
