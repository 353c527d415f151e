import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import { decodeRendition, parseMaster, parseMedia, parseMedias, streamKinds } from "./hls-checks.ts";
import { startPipelineStack, type PipelineStack, type StorageDriver } from "../src/pipeline-stack.ts";
import { checkIFramePlaylists, checkStoryboardAndPreview } from "./scrub-checks.ts";
import { uploadWithOneInterruption } from "./tus-resume.ts";

let media: TempDir;
let clip: string;
const clipSeconds = 3.5;

before(async () => {
  media = await createTempDir("kino-e2e-media-");
  // A keyframe a second, as phones write them: fast publish cuts segments at the source's keyframes.
  clip = await makeClip(join(media.path, "clip.mp4"), { width: 640, height: 360, rate: 30, seconds: clipSeconds, gop: 30 });
});
after(() => media.remove());

async function waitUntilDone(stack: PipelineStack, id: string): Promise<Video> {
  const signal = AbortSignal.timeout(120_000);
  for await (const { video } of stack.videos.watchVideo({ id }, { signal })) {
    if (video && [VideoStatus.READY, VideoStatus.FAILED].includes(video.status)) return video;
  }
  throw new Error("WatchVideo ended before a terminal status");
}

for (const driver of ["local", "s3"] as StorageDriver[]) {
  describe(`upload → transcode → playback, ${driver} storage`, () => {
    let stack: PipelineStack;
    before(async () => {
      // Short segments, so a 3.5 s clip has several boundaries to compare across rungs.
      stack = await startPipelineStack(driver, { segmentSeconds: 1 });
    });
    after(() => stack.close());

    test("an interrupted, resumed upload becomes a playable, keyframe-aligned HLS ladder", async () => {
      const created = await stack.uploads.createUpload({ title: "e2e clip" });
      const videoId = created.video!.id;
      const { interruptedAt } = await uploadWithOneInterruption(clip, created.uploadUrl);
      assert.ok(interruptedAt > 0);

      const video = await waitUntilDone(stack, videoId);
      assert.equal(video.status, VideoStatus.READY, video.failureReason);
      assert.ok(Math.abs(video.durationSeconds - clipSeconds) < 0.3, `duration ${video.durationSeconds}`);
      assert.deepEqual(video.renditions.map((r) => r.name), ["360p", "240p"], "the ladder never upscales a 360p source");
      assert.match(video.playbackPath, new RegExp(`^/hls/${videoId}/[A-Za-z0-9_-]+/master\\.m3u8$`));

      const masterUrl = `${stack.baseUrl}${video.playbackPath}`;
      const masterResponse = await fetch(masterUrl);
      assert.equal(masterResponse.status, 200);
      assert.equal(masterResponse.headers.get("content-type"), "application/vnd.apple.mpegurl");
      const masterText = await masterResponse.text();
      const variants = parseMaster(masterText);
      const audio = parseMedias(masterText);
      assert.deepEqual(audio.map((m) => [m.TYPE, m["GROUP-ID"], m.DEFAULT, m.URI]), [["AUDIO", "aud", "YES", "audio/und/index.m3u8"]], "the sound is one audio group of one track");
      assert.deepEqual(variants.map((v) => v.attributes.RESOLUTION), ["640x360", "426x240"]);
      for (const variant of variants) {
        for (const attribute of ["BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "FRAME-RATE", "CODECS"]) {
          assert.ok(variant.attributes[attribute], `${variant.uri} has ${attribute}`);
        }
        assert.match(variant.attributes.CODECS!, /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/, "the video's codec, then its audio group's");
        assert.equal(variant.attributes.AUDIO, "aud");
        assert.equal(Number(variant.attributes["FRAME-RATE"]), 30);
      }

      const base = masterUrl.slice(0, masterUrl.lastIndexOf("/") + 1);
      const boundaries: number[][] = [];
      for (const variant of variants) {
        const playlistUrl = new URL(variant.uri, base).toString();
        const playlist = parseMedia(await (await fetch(playlistUrl)).text());
        assert.ok(playlist.init, "fMP4: an init segment is declared");
        assert.ok(playlist.segments.every((s) => s.endsWith(".m4s")), "CMAF segments");
        boundaries.push(playlist.durations);
        const [width, height] = variant.attributes.RESOLUTION!.split("x").map(Number);
        const decoded = await decodeRendition(playlistUrl);
        assert.deepEqual([decoded.width, decoded.height], [width, height], `${variant.uri} decodes at its declared resolution`);
        assert.ok(Math.abs(decoded.frames - clipSeconds * 30) <= 2, `${variant.uri}: ${decoded.frames} frames decoded`);
        assert.deepEqual(await streamKinds(playlistUrl), ["video"], `${variant.uri} holds no audio: it is stored once`);
      }
      assert.deepEqual(await streamKinds(new URL(audio[0]!.URI!, base).toString()), ["audio"]);
      assert.ok(boundaries[0]!.length >= 2, "more than one segment, so boundaries mean something");
      for (const other of boundaries.slice(1)) assert.deepEqual(other, boundaries[0], "segment boundaries are identical across rungs");

      const poster = await fetch(`${stack.baseUrl}${video.posterPath}`);
      assert.equal(poster.status, 200);
      assert.equal(poster.headers.get("content-type"), "image/jpeg");

      // Scrubbing: I-frame playlists into the rungs' own segments, a storyboard, an animated preview.
      await checkIFramePlaylists(masterUrl, masterText, variants.map((v) => v.uri), video.durationSeconds, media.path);
      assert.equal(video.storyboardPath, video.playbackPath.replace(/master\.m3u8$/, "storyboard.vtt"));
      assert.equal(video.previewPath, video.playbackPath.replace(/master\.m3u8$/, "preview.webp"));
      await checkStoryboardAndPreview(stack.baseUrl, video.storyboardPath, video.previewPath, video.durationSeconds, media.path);
    });
  });
}
