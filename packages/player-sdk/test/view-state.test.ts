import assert from "node:assert/strict";
import { test } from "node:test";
import type { Payload, PayloadCase, PayloadValue } from "../src/index.ts";
import { trackView } from "../src/view-state.ts";
import { FakeClock, FakeHls, FakeMedia } from "./support/fake-media.ts";

function setup(hls?: FakeHls) {
  const media = new FakeMedia();
  const clock = new FakeClock();
  const events: Payload[] = [];
  const tracker = trackView({ media, hls, now: clock.now, emit: (p) => events.push(p), playerName: "test-player", playerVersion: "1" });
  const cases = () => events.map((e) => e.case);
  const last = <C extends PayloadCase>(c: C) => events.filter((e) => e.case === c).at(-1)?.value as PayloadValue<C> | undefined;
  /** Starts playback: play intent, then the first frame after `startupMs`. */
  const play = (startupMs: number) => {
    media.paused = false;
    media.fire("play");
    clock.advance(startupMs);
    media.fire("playing");
  };
  return { media, clock, events, tracker, cases, last, play };
}

test("nothing is reported before play intent, and a view that never started has no view_end", () => {
  const { media, tracker, events } = setup();
  media.fire("loadedmetadata");
  media.fire("timeupdate");
  tracker.heartbeat();
  tracker.end();
  assert.deepEqual(events, []);
});

test("play intent starts the view; the first frame reports the startup time", () => {
  const { last, cases, play } = setup();
  play(850);
  assert.deepEqual(cases(), ["viewStart", "playing"]);
  assert.deepEqual(last("playing"), { playheadMs: 0, startupTimeMs: 850 });
  assert.deepEqual(last("viewStart"), { autoplay: false, playerName: "test-player", playerVersion: "1" });
});

test("a stall while playing is a rebuffer pair with its duration; watch time excludes it", () => {
  const { media, clock, tracker, cases, last, play } = setup();
  play(100);
  clock.advance(2000);
  media.currentTime = 2;
  media.fire("waiting");
  clock.advance(700);
  media.fire("playing");
  clock.advance(1000);
  tracker.end();
  assert.deepEqual(cases(), ["viewStart", "playing", "rebufferStart", "rebufferEnd", "viewEnd"]);
  assert.deepEqual(last("rebufferStart"), { playheadMs: 2000 });
  assert.deepEqual(last("rebufferEnd"), { playheadMs: 2000, durationMs: 700 });
  assert.deepEqual(last("viewEnd")?.counters, { watchTimeMs: 3000, rebufferTimeMs: 700, playedBits: 0, droppedFrames: 0 });
});

test("waiting during a seek is not a rebuffer; the seek goes from the last playhead to the new one", () => {
  const { media, clock, cases, last, play } = setup();
  play(100);
  clock.advance(1000);
  media.currentTime = 1;
  media.fire("timeupdate");
  media.currentTime = 30;
  media.seeking = true;
  media.fire("seeking");
  media.fire("waiting");
  clock.advance(400);
  media.seeking = false;
  media.fire("seeked");
  media.fire("playing");
  assert.deepEqual(cases(), ["viewStart", "playing", "seek"]);
  assert.deepEqual(last("seek"), { fromMs: 1000, toMs: 30_000 });
});

test("resuming after a pause reports playing without a startup time; paused time is not watch time", () => {
  const { media, clock, tracker, cases, last, play } = setup();
  play(300);
  clock.advance(1000);
  media.paused = true;
  media.fire("pause");
  clock.advance(5000);
  media.paused = false;
  media.fire("play");
  clock.advance(50);
  media.fire("playing");
  clock.advance(1000);
  tracker.heartbeat();
  assert.deepEqual(cases(), ["viewStart", "playing", "playing", "heartbeat"]);
  assert.equal(last("playing")?.startupTimeMs, 0);
  assert.equal(last("heartbeat")?.counters?.watchTimeMs, 2000);
});

test("heartbeats carry playhead, buffer ahead, dropped frames and played bits at the hls.js level's bitrate", () => {
  const hls = new FakeHls([
    { bitrate: 400_000, width: 320, height: 180 },
    { bitrate: 1_200_000, width: 640, height: 360, name: "360p-high" },
  ]);
  const { media, clock, tracker, events, last, play } = setup(hls);
  hls.emit("hlsLevelSwitched", { level: 0 });
  play(200);
  clock.advance(2000);
  hls.emit("hlsLevelSwitched", { level: 1 });
  clock.advance(1000);
  media.currentTime = 3;
  media.ranges = [[0, 1], [2.5, 7.25]];
  media.droppedVideoFrames = 4;
  tracker.heartbeat();
  // The level chosen before the view started is its starting rendition, not a change.
  assert.equal(events.filter((e) => e.case === "renditionChange").length, 1);
  assert.deepEqual(last("renditionChange"), { playheadMs: 0, rendition: "360p-high", bitrateBps: 1_200_000, width: 640, height: 360 });
  assert.deepEqual(last("heartbeat"), {
    playheadMs: 3000,
    rendition: "360p-high",
    bitrateBps: 1_200_000,
    bufferLengthMs: 4250,
    counters: { watchTimeMs: 3000, rebufferTimeMs: 0, playedBits: 2000 * 400 + 1000 * 1200, droppedFrames: 4 },
  });
});

test("without hls.js a change of the picture size is a rendition change", () => {
  const { media, cases, last, play } = setup();
  play(10);
  media.videoWidth = 1280;
  media.videoHeight = 720;
  media.fire("resize");
  media.fire("resize");
  assert.deepEqual(cases(), ["viewStart", "playing", "renditionChange"]);
  assert.deepEqual(last("renditionChange"), { playheadMs: 0, rendition: "720p", bitrateBps: 0, width: 1280, height: 720 });
});

test("media errors and fatal hls.js errors are reported, non-fatal hls.js errors are not", () => {
  const hls = new FakeHls([]);
  const { media, cases, events } = setup(hls);
  hls.emit("hlsError", { type: "networkError", details: "fragLoadError", fatal: false });
  hls.emit("hlsError", { type: "networkError", details: "manifestLoadError", fatal: true, error: { message: "404" } });
  media.error = { code: 3, message: "x".repeat(1500) };
  media.fire("error");
  assert.deepEqual(cases(), ["viewStart", "error", "error"]);
  const [first, second] = events.filter((e) => e.case === "error").map((e) => e.value);
  assert.deepEqual(first, { playheadMs: 0, code: "manifestLoadError", message: "networkError: 404", fatal: true });
  assert.equal(second?.code, "MEDIA_ERR_DECODE");
  assert.equal(second?.message.length, 1000);
});

test("ending the view closes an open stall, stops listening and happens once", () => {
  const hls = new FakeHls([]);
  const { media, clock, tracker, cases, play } = setup(hls);
  play(10);
  media.fire("waiting");
  clock.advance(300);
  tracker.end();
  tracker.end();
  media.fire("playing");
  tracker.heartbeat();
  assert.deepEqual(cases(), ["viewStart", "playing", "rebufferStart", "rebufferEnd", "viewEnd"]);
  assert.equal(hls.listenerCount, 0);
});
