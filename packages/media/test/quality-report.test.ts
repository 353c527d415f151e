import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import {
  encodeRungs,
  encryptTrack,
  MAX_QUALITY_WINDOWS,
  measureQuality,
  pickQualityWindows,
  planPublication,
  QUALITY_MIN_FRAMES,
  QUALITY_WINDOW_FRAMES,
  type FinishedRendition,
  type MeasureQualityOptions,
  type PublicationPlan,
} from "../src/index.ts";

describe("quality report", () => {
  let dir: TempDir;
  let input: string;
  let publication: PublicationPlan;
  let rungs: FinishedRendition[];
  let base: Omit<MeasureQualityOptions, "workDir">;
  before(async () => {
    dir = await createTempDir("kino-quality-");
    input = await makeClip(join(dir.path, "clip.mp4"), { width: 320, height: 180, seconds: 3, gop: 30 });
    publication = await planPublication(input);
    const [rung] = publication.plan.rungs;
    assert.ok(rung && publication.plan.rungs.length === 1);
    // The same picture twice: at the ladder's own bitrate, and starved so that x264 must smear it.
    const plan = { ...publication.plan, rungs: [{ ...rung, name: "good" }, { ...rung, name: "starved", videoBitrate: 10_000, maxrate: 12_000, bufsize: 12_000 }] };
    const outDir = join(dir.path, "out");
    await mkdir(outDir);
    ({ rungs } = await encodeRungs({ input, plan, rungs: plan.rungs, audio: "encode", outDir, segmentSeconds: 2, durationSeconds: publication.probe.durationSeconds }));
    base = { input, plan, outDir, rungs };
  });
  after(() => dir.remove());

  it("scores a good encode high and a starved one clearly lower, on the frames planned", async () => {
    const reports = await measureQuality({ ...base, workDir: join(dir.path, "work-clear") });
    const good = reports.get("good");
    const starved = reports.get("starved");
    assert.ok(good && starved, JSON.stringify([...reports]));
    const planned = pickQualityWindows(rungs[0]!.segmentDurations, 30).reduce((sum, w) => sum + w.frames, 0);
    assert.equal(planned, QUALITY_MIN_FRAMES, "a 3 s clip: the fewest frames, in one window");
    assert.equal(good.framesCompared, planned);
    assert.equal(starved.framesCompared, planned);
    assert.ok(good.ssim > 0.95 && good.ssim <= 1, `good SSIM ${good.ssim}`);
    assert.ok(starved.ssim < good.ssim - 0.1, `starved SSIM ${starved.ssim} vs ${good.ssim}`);
    assert.ok(good.psnrDb > 30 && good.psnrDb < 60, `good PSNR ${good.psnrDb} dB`);
    assert.ok(starved.psnrDb > 5 && starved.psnrDb < good.psnrDb - 5, `starved PSNR ${starved.psnrDb} dB vs ${good.psnrDb}`);
  });

  it("measures segments encryptTrack has sealed with the content key, to the same figures; without it, rejects", async () => {
    const clear = await measureQuality({ ...base, workDir: join(dir.path, "work-clear-2") });
    const sealedDir = join(dir.path, "sealed");
    await cp(base.outDir, sealedDir, { recursive: true });
    const key = randomBytes(16);
    for (const r of rungs) await encryptTrack(sealedDir, r.rendition.name, key);
    const sealed = await measureQuality({ ...base, outDir: sealedDir, contentKey: key, workDir: join(dir.path, "work-sealed") });
    assert.deepEqual([...sealed], [...clear]);
    await assert.rejects(measureQuality({ ...base, outDir: sealedDir, workDir: join(dir.path, "work-nokey") }), /encrypted and no content key/);
  });

  it("rejects when ffmpeg fails, so the caller can publish without a report", async () => {
    await assert.rejects(measureQuality({ ...base, workDir: join(dir.path, "work-fail"), ffmpegPath: "/bin/false" }), { name: "FfmpegError" });
  });
});

describe("pickQualityWindows", () => {
  it("bounds a long video's work: at most MAX_QUALITY_WINDOWS windows, evenly spread, each at a segment start", () => {
    const durations = Array.from({ length: 900 }, () => 4); // an hour
    const windows = pickQualityWindows(durations, 30);
    assert.equal(windows.length, MAX_QUALITY_WINDOWS);
    assert.ok(windows.every((w) => w.frames === QUALITY_WINDOW_FRAMES && w.startSeconds === w.segment * 4));
    const gaps = windows.slice(1).map((w, i) => w.segment - windows[i]!.segment);
    assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 1, `even spacing: ${gaps.join(",")}`);
    assert.ok(windows[0]!.segment > 0 && windows.at(-1)!.segment < 899, "not pinned to the ends");
  });

  it("compares about 3% of a minute's frames, at least QUALITY_MIN_FRAMES of a short video's, and never runs past a segment", () => {
    const minute = pickQualityWindows(Array.from({ length: 15 }, () => 4), 30);
    // 1800 frames × 3% = 54: 5 windows of 11.
    assert.deepEqual(minute.map((w) => [w.segment, w.frames]), [[1, 11], [4, 11], [7, 11], [10, 11], [13, 11]]);
    assert.deepEqual(pickQualityWindows([2], 30), [{ segment: 0, startSeconds: 0, frames: QUALITY_MIN_FRAMES }]);
    assert.deepEqual(pickQualityWindows([0.1], 30), [{ segment: 0, startSeconds: 0, frames: 2 }], "three frames long: two of them");
    assert.deepEqual(pickQualityWindows([], 30), []);
  });
});
