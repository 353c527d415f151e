import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureBandwidth } from "../src/index.ts";

describe("measureBandwidth", () => {
  it("takes the peak over runs near the target duration and the average over everything", () => {
    const segments = [
      { durationSeconds: 4, sizeBytes: 500_000 },
      { durationSeconds: 4, sizeBytes: 1_000_000 },
      { durationSeconds: 4, sizeBytes: 500_000 },
    ];
    assert.deepEqual(measureBandwidth(segments, 4), { peak: 2_000_000, average: 1_333_334 });
  });

  it("does not let a short final segment set the peak on its own", () => {
    // 0.4 s is under half the 4 s target: it only counts together with its neighbour.
    const segments = [
      { durationSeconds: 4, sizeBytes: 400_000 },
      { durationSeconds: 0.4, sizeBytes: 100_000 },
    ];
    assert.equal(measureBandwidth(segments, 4).peak, Math.ceil((500_000 * 8) / 4.4));
  });
});
