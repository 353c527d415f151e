import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { createTempDir, ffmpeg, launchChromium, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { startPlayerPage, type PlayerPage } from "../../gateway/test/hls-player-page.ts";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";
import { parseMaster, parseMedia } from "./hls-checks.ts";
import { playAcrossSwitch } from "./hls-switch.ts";
import { uploadWhole } from "./tus-upload.ts";

let media: TempDir;
let stack: PipelineStack;
let browser: Browser;
let player: PlayerPage;

before(async () => {
  media = await createTempDir("kino-e2e-chunked-");
  // 2 s segments in 4 s ranges: a 16 s clip is four ranges, joined at 4, 8 and 12 s.
  stack = await startPipelineStack("s3", { segmentSeconds: 2, rangeSeconds: 4, splitMinSeconds: 8 });
  browser = await launchChromium();
  player = await startPlayerPage();
});
after(async () => {
  await player?.close();
  await browser?.close();
  await stack?.close();
  await media?.remove();
});

async function waitUntilDone(id: string): Promise<Video> {
  for await (const { video } of stack.videos.watchVideo({ id }, { signal: AbortSignal.timeout(180_000) })) {
    if (video && [VideoStatus.READY, VideoStatus.FAILED].includes(video.status)) return video;
  }
  throw new Error("WatchVideo ended before a terminal status");
}

const text = async (url: string, accept?: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  if (accept) assert.equal(res.headers.get("content-type")?.split(";")[0], accept);
  return res.text();
};

test("a chunked video plays through the origin: hls.js crosses range joins and a rung switch with no error; the MPD names the same files", async () => {
  const clip = join(media.path, "chunked.mp4");
  await ffmpeg([
    ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=16", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=16"],
    ...["-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", clip],
  ]);
  const id = await uploadWhole(stack, clip, "chunked clip");
  const ready = await waitUntilDone(id);
  assert.equal(ready.status, VideoStatus.READY, ready.failureReason);
  const masterUrl = `${stack.baseUrl}${ready.playbackPath}`;
  const base = masterUrl.slice(0, -"master.m3u8".length);
  const master = parseMaster(await text(masterUrl));
  assert.deepEqual(master.map((v) => v.uri), ["360p/index.m3u8", "240p/index.m3u8"]);
  const segments = new Map<string, string[]>();
  for (const variant of master) {
    const playlist = parseMedia(await text(`${base}${variant.uri}`));
    assert.equal(playlist.init, "init.mp4");
    assert.ok(Math.abs(playlist.durations.reduce((s, d) => s + d, 0) - 16) <= 1 / 30, `${variant.uri}: ${playlist.durations.join(" ")}`);
    segments.set(variant.uri.split("/")[0]!, playlist.segments);
  }
  // Eight segments from four range attempts in each rung.
  for (const [rung, names] of segments) assert.equal(new Set(names.map((n) => n.split("_")[2])).size, 4, `${rung}: ${names.join(" ")}`);

  const mpd = await text(`${base}manifest.mpd`, "application/dash+xml");
  for (const [rung, names] of segments) for (const name of names) assert.ok(mpd.includes(`media="${rung}/${name}"`), `the MPD lists ${rung}/${name}`);

  // Past the join at 4 s and the one at 8 s, switching rungs on the way.
  const played = await playAcrossSwitch(browser, player, masterUrl, 9);
  assert.equal(played.fatal, undefined);
  assert.equal(played.levels, 2);
  assert.deepEqual([...new Set(played.switchedTo)].sort(), [0, 1], `hls.js played both rungs: ${played.switchedTo.join(",")}`);
  assert.ok(played.currentTime >= 9, `played ${played.currentTime} s`);
});
