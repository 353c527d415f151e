import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaPrefix } from "@kino/storage";
import { AWKWARD_SOURCES } from "@kino/testkit";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { playRendition } from "./support/playback.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;

before(async () => {
  stack = await startTestStack();
  transcoder = await startTranscoder(stack.transcoderConfig(), silentLogger());
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

test("broadcast TS, edit lists, VFR, 10-bit, 4:2:2, odd sizes, rotation, A/V offsets and unstated durations all end READY, playable, with a poster and a quality report", async () => {
  const uploads = await Promise.all(
    AWKWARD_SOURCES.map(async (source) => ({ source, id: await stack.uploadVideo(await source.make(join(stack.dir.path, source.file))) })),
  );
  for (const { source, id } of uploads) {
    const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 60_000, `${source.name} to finish`);
    assert.equal(video.status, VideoStatus.READY, `${source.name}: ${video.failureReason}`);
    const top = video.renditions[0]!;
    assert.deepEqual([top.width, top.height], [source.display.width, source.display.height], source.name);
    assert.ok(Math.abs(video.durationSeconds - source.seconds) < 0.1, `${source.name}: duration ${video.durationSeconds}`);
    const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
    const prefix = `${mediaPrefix(id)}${outputId}/`;
    assert.ok(await stack.storage.head(`${prefix}poster.jpg`), `${source.name} has a poster`);
    assert.equal(video.posterPath, `/hls/${id}/${outputId}/poster.jpg`);
    for (const rendition of video.renditions) {
      // Compared frame for frame with the source: a pairing off by one frame (a late picture, a clock not at 0) scores far lower.
      assert.ok(rendition.quality, `${source.name} ${rendition.name} has a quality report`);
      assert.ok(rendition.quality.ssim > 0.97 && rendition.quality.psnrDb > 35, `${source.name} ${rendition.name}: SSIM ${rendition.quality.ssim}, PSNR ${rendition.quality.psnrDb} dB`);
      const played = await playRendition(stack.storage, prefix, rendition.name, stack.dir.path);
      assert.equal(played.errors, "", `${source.name} ${rendition.name} decodes cleanly`);
      assert.deepEqual([played.width, played.height, played.pixFmt], [rendition.width, rendition.height, "yuv420p"], source.name);
      assert.ok(played.frames > 0, source.name);
    }
  }
});
