import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "@kino/platform";
import { assertStoryboard, createTempDir, ffprobeJson, makeClip, webpAnimationFrames, type TempDir } from "@kino/testkit";
import {
  layOutStoryboard,
  MAX_STORYBOARD_TILES,
  planLadder,
  PREVIEW_NAME,
  previewOutput,
  probeSource,
  produceAuxiliaryOutputs,
  STORYBOARD_NAME,
  storyboardIntervalSeconds,
  storyboardOutput,
} from "../src/index.ts";

async function imageSize(path: string): Promise<{ width: number; height: number }> {
  const stream = (await ffprobeJson(path)).streams[0];
  return { width: stream.width, height: stream.height };
}

describe("storyboard and animated preview", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-previews-");
  });
  after(() => dir.remove());

  it("a 5.5 s clip: cues cover [0, 5.5] with no gap, each tile inside its sheet; the preview is an animated WebP", async () => {
    const input = await makeClip(join(dir.path, "clip.mp4"), { width: 320, height: 180, seconds: 5.5 });
    const probe = await probeSource(input);
    const plan = planLadder(probe);
    const outDir = join(dir.path, "out");
    await mkdir(outDir);
    const reports = await produceAuxiliaryOutputs(
      [storyboardOutput({ input, plan, durationSeconds: probe.durationSeconds }), previewOutput({ input, video: probe.video, plan })],
      { dir: outDir, logger: silentLogger() },
    );
    const storyboard = reports.find((r) => r.output === "storyboard")!;
    assert.ok("files" in storyboard, JSON.stringify(storyboard));
    assert.deepEqual(storyboard.files, ["storyboard/sheet-00.jpg", STORYBOARD_NAME]);
    const cues = await assertStoryboard(await readFile(join(outDir, STORYBOARD_NAME), "utf8"), probe.durationSeconds, (sheet) => imageSize(join(outDir, sheet)));
    assert.equal(cues.length, 6, "one tile a second, the last to the end");
    assert.deepEqual(await imageSize(join(outDir, "storyboard/sheet-00.jpg")), { width: 6 * 160, height: 90 });

    const preview = reports.find((r) => r.output === "preview")!;
    assert.ok("files" in preview, JSON.stringify(preview));
    const webp = await readFile(join(outDir, PREVIEW_NAME));
    const frames = webpAnimationFrames(webp);
    assert.ok(frames > 1, `an animated WebP, ${frames} frames`);
    assert.ok(frames <= 31, `a few seconds at 10 fps, ${frames} frames`);
  });

  it("bounds a long video's work: at most MAX_STORYBOARD_TILES tiles on a few 10×10 sheets, still covering the whole", async () => {
    const duration = 3 * 3600 + 0.4;
    const interval = storyboardIntervalSeconds(duration);
    assert.equal(interval, Math.ceil(duration / MAX_STORYBOARD_TILES));
    // ffmpeg's fps filter may hand over one tile more than the duration holds.
    const layout = layOutStoryboard(Math.ceil(duration / interval) + 1, duration, interval, { width: 160, height: 90 });
    assert.ok(layout.used <= MAX_STORYBOARD_TILES);
    assert.equal(layout.sheets.length, Math.ceil(layout.used / 100));
    assert.ok(layout.sheets.length > 1);
    await assertStoryboard(layout.vtt, duration, async () => ({ width: 1600, height: 900 }));
  });

  it("a tile short of the duration: the last cue still runs to the end", async () => {
    const layout = layOutStoryboard(3, 4.2, 1, { width: 160, height: 90 });
    await assertStoryboard(layout.vtt, 4.2, async () => ({ width: 480, height: 90 }));
  });
});
