import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createProgressParser, type FfmpegProgress } from "../src/index.ts";

const block = (outTimeUs: string, progress: string, extra = "fps=48.5\nspeed=1.6x\n") =>
  `frame=10\n${extra}out_time_us=${outTimeUs}\nout_time_ms=${outTimeUs}\nout_time=00:00:01.000000\nprogress=${progress}\n`;

describe("createProgressParser", () => {
  it("emits one event per block with time, fps, speed and percent of the duration", () => {
    const events: FfmpegProgress[] = [];
    const parser = createProgressParser({ durationSeconds: 4, onProgress: (e) => events.push(e) });
    parser.push(block("1000000", "continue"));
    parser.push(block("3000000", "continue"));
    assert.deepEqual(events, [
      { outTimeSeconds: 1, fps: 48.5, speed: 1.6, percent: 25, done: false },
      { outTimeSeconds: 3, fps: 48.5, speed: 1.6, percent: 75, done: false },
    ]);
  });

  it("reassembles lines split across chunks", () => {
    const events: FfmpegProgress[] = [];
    const parser = createProgressParser({ durationSeconds: 10, onProgress: (e) => events.push(e) });
    const text = block("2500000", "continue") + block("5000000", "continue");
    for (let i = 0; i < text.length; i += 7) parser.push(Buffer.from(text.slice(i, i + 7)));
    assert.deepEqual(events.map((e) => e.percent), [25, 50]);
  });

  it("treats N/A values as unknown instead of failing", () => {
    const events: FfmpegProgress[] = [];
    const parser = createProgressParser({ durationSeconds: 10, onProgress: (e) => events.push(e) });
    parser.push("fps=N/A\nspeed=N/A\nout_time_us=N/A\nout_time_ms=N/A\nout_time=N/A\nprogress=continue\n");
    assert.deepEqual(events, [{ outTimeSeconds: 0, percent: 0, done: false }]);
  });

  it("reports 100% and done on progress=end, and no percent without a duration", () => {
    const withDuration: FfmpegProgress[] = [];
    createProgressParser({ durationSeconds: 10, onProgress: (e) => withDuration.push(e) }).push(block("9960000", "end"));
    assert.equal(withDuration[0]?.done, true);
    assert.equal(withDuration[0]?.percent, 100);
    const without: FfmpegProgress[] = [];
    createProgressParser({ onProgress: (e) => without.push(e) }).push(block("5000000", "continue"));
    assert.equal(without[0]?.percent, undefined);
    assert.equal(without[0]?.outTimeSeconds, 5);
  });

  it("never reports more than 100% while running, even when output outlasts the probed duration", () => {
    const events: FfmpegProgress[] = [];
    createProgressParser({ durationSeconds: 2, onProgress: (e) => events.push(e) }).push(block("2100000", "continue"));
    assert.equal(events[0]?.percent, 100);
  });
});
