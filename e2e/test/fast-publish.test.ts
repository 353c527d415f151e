import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { RenditionState, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { createTempDir, ffmpeg, launchChromium, type TempDir } from "@kino/testkit";
import { checkIFramePlaylists } from "./scrub-checks.ts";
import { publicationGate, type PublicationGate } from "@kino/transcoder/testing";
import type { Browser } from "playwright-core";
import { startPlayerPage, type PlayerPage } from "../../gateway/test/hls-player-page.ts";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";
import { decodeRendition, parseMaster, parseMedia, parseMedias, streamKinds } from "./hls-checks.ts";
import { playAcrossSwitch } from "./hls-switch.ts";
import { uploadWhole } from "./tus-upload.ts";

let media: TempDir;
let stack: PipelineStack;
let gate: PublicationGate;
let browser: Browser;
let player: PlayerPage;

before(async () => {
  media = await createTempDir("kino-e2e-fast-publish-");
  gate = publicationGate();
  // 2 s segments: a 6 s clip has boundaries to compare across rungs.
  stack = await startPipelineStack("s3", { segmentSeconds: 2, transcoderHooks: gate.hooks });
  browser = await launchChromium();
  player = await startPlayerPage();
});
after(async () => {
  gate?.releaseAll();
  await player?.close();
  await browser?.close();
  await stack?.close();
  await media?.remove();
});

async function getVideo(id: string): Promise<Video> {
  return (await stack.videos.getVideo({ id })).video!;
}

async function waitUntilDone(id: string): Promise<Video> {
  const signal = AbortSignal.timeout(120_000);
  for await (const { video } of stack.videos.watchVideo({ id }, { signal })) {
    if (video && [VideoStatus.READY, VideoStatus.FAILED].includes(video.status)) return video;
  }
  throw new Error("WatchVideo ended before a terminal status");
}

const text = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return res.text();
};
const rungs = (video: Video) => video.renditions.map((r) => [r.name, RenditionState[r.state], r.passthrough]);
const near = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => Math.abs(d - b[i]!) < 0.001);
/** Every rung of a READY video, the fast first one too, with its quality report: 3% of a short clip's frames (at least 4), close to the source. */
const assertQualityReports = (video: Video, frames: number) => {
  for (const r of video.renditions) {
    assert.ok(r.quality, `${r.name} has a quality report`);
    assert.equal(r.quality.framesCompared, frames, r.name);
    assert.ok(r.quality.ssim > 0.9 && r.quality.ssim <= 1 && r.quality.psnrDb > 25 && r.quality.psnrDb <= 60, `${r.name}: SSIM ${r.quality.ssim}, PSNR ${r.quality.psnrDb} dB`);
  }
};

describe("fast publish", () => {
  test("a standard clip plays from its passthrough rung before any encoded rung exists; then the ladder lands on the same segment boundaries and hls.js switches rungs cleanly", async () => {
    const clip = join(media.path, "standard.mp4");
    // H.264 High with B-frames, a keyframe a second, AAC: what a phone or an editor exports.
    await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=6", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6"],
      ...["-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", clip],
    ]);
    const id = await uploadWhole(stack, clip, "standard clip");

    // The transcoder holds its ladder right after publishing, until this test has looked.
    const publication = await gate.published(id);
    assert.deepEqual(publication.renditions.map((r) => [r.name, r.state, r.passthrough ?? false]), [["source", "ready", true], ["360p", "encoding", false], ["240p", "encoding", false]]);
    const playable = await getVideo(id);
    assert.equal(playable.status, VideoStatus.PROCESSING);
    assert.equal(playable.playable, true);
    assert.match(playable.playbackPath, new RegExp(`^/hls/${id}/[a-z0-9]+/master\\.m3u8$`));
    assert.deepEqual(rungs(playable), [["source", "READY", true], ["360p", "ENCODING", false], ["240p", "ENCODING", false]]);
    assert.equal(playable.renditions[0]!.codecs, "avc1.64001e,mp4a.40.2");
    assert.equal(playable.renditions[0]!.quality, undefined, "the passthrough is the source: nothing to measure");

    const masterUrl = `${stack.baseUrl}${playable.playbackPath}`;
    const base = masterUrl.replace(/master\.m3u8$/, "");
    const firstMasterText = await text(masterUrl);
    const firstMaster = parseMaster(firstMasterText);
    const firstAudio = parseMedias(firstMasterText);
    assert.deepEqual(firstAudio.map((m) => [m.TYPE, m["GROUP-ID"], m.URI]), [["AUDIO", "aud", "audio/und/index.m3u8"]], "the source's AAC, copied once into the audio group");
    assert.equal(firstMaster[0]!.attributes.AUDIO, "aud");
    assert.deepEqual(await streamKinds(`${base}source/index.m3u8`), ["video"], "the passthrough holds the picture alone");
    const audioPlaylist = await text(`${base}audio/und/index.m3u8`);
    assert.deepEqual(firstMaster.map((v) => v.uri), ["source/index.m3u8"], "the playable master names the passthrough alone");
    assert.equal(firstMaster[0]!.attributes.RESOLUTION, "640x360");
    assert.equal((await fetch(`${base}360p/index.m3u8`)).status, 404, "no encoded rung exists yet");
    const passthrough = await decodeRendition(`${base}source/index.m3u8`);
    assert.deepEqual([passthrough.width, passthrough.height], [640, 360]);
    assert.ok(Math.abs(passthrough.frames - 180) <= 1, `the passthrough decodes all of it: ${passthrough.frames} frames`);
    const sourceDurations = parseMedia(await text(`${base}source/index.m3u8`)).durations;
    assert.ok(sourceDurations.length >= 3, `segments cut at the source's keyframes: ${sourceDurations.join(" ")}`);
    // Published before it was all stored, the passthrough gets its I-frame playlist (ranges into its own segments) once it is: the master is republished with it.
    let scrubbable = firstMasterText;
    for (const deadline = Date.now() + 15_000; !scrubbable.includes("#EXT-X-I-FRAME-STREAM-INF") && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      scrubbable = await text(masterUrl);
    }
    assert.deepEqual(parseMaster(scrubbable).map((v) => v.uri), ["source/index.m3u8"], "still the passthrough alone, the ladder held");
    await checkIFramePlaylists(masterUrl, scrubbable, ["source/index.m3u8"], playable.durationSeconds, media.path);

    gate.release(id);
    const ready = await waitUntilDone(id);
    assert.equal(ready.status, VideoStatus.READY, ready.failureReason);
    assert.equal(ready.playbackPath, playable.playbackPath, "the same path plays throughout");
    assert.deepEqual(rungs(ready), [["360p", "READY", false], ["240p", "READY", false]]);
    assertQualityReports(ready, 6); // 180 frames × 3%
    const finalMasterText = await text(masterUrl);
    const finalMaster = parseMaster(finalMasterText);
    assert.deepEqual(parseMedias(finalMasterText), firstAudio, "the ladder plays with the audio group published first");
    assert.ok(finalMaster.every((v) => v.attributes.AUDIO === "aud" && v.attributes.CODECS!.endsWith(",mp4a.40.2")));
    assert.equal(await text(`${base}audio/und/index.m3u8`), audioPlaylist, "the audio was not made again");
    assert.deepEqual(finalMaster.map((v) => v.uri), ["360p/index.m3u8", "240p/index.m3u8"], "the republished master lists the encoded ladder");
    for (const rung of ["360p", "240p"]) {
      const durations = parseMedia(await text(`${base}${rung}/index.m3u8`)).durations;
      assert.ok(near(durations, sourceDurations), `${rung} cuts where the passthrough does: ${durations.join(" ")} vs ${sourceDurations.join(" ")}`);
    }
    assert.equal((await fetch(`${base}source/index.m3u8`)).status, 200, "a player already on the passthrough plays on");
    // The republished master lists the ladder's I-frame playlists instead of the passthrough's.
    await checkIFramePlaylists(masterUrl, finalMasterText, ["360p/index.m3u8", "240p/index.m3u8"], ready.durationSeconds, media.path);

    const played = await playAcrossSwitch(browser, player, masterUrl);
    assert.equal(played.fatal, undefined);
    assert.equal(played.levels, 2);
    assert.deepEqual([...new Set(played.switchedTo)].sort(), [0, 1], `hls.js played both rungs: ${played.switchedTo.join(",")}`);
    assert.ok(played.currentTime >= 4.5, `played ${played.currentTime} s across the switch`);
  });

  test("a non-standard clip (HEVC 10-bit) is not remuxed: it plays as soon as its fast first rung lands, then the ladder follows", async () => {
    const clip = join(media.path, "hevc10.mp4");
    await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4"],
      ...["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-c:a", "aac", clip],
    ]);
    const id = await uploadWhole(stack, clip, "hevc clip");

    const publication = await gate.published(id);
    assert.deepEqual(publication.renditions.map((r) => [r.name, r.state, r.passthrough ?? false]), [["360p", "encoding", false], ["240p", "ready", false]]);
    const playable = await getVideo(id);
    assert.equal(playable.status, VideoStatus.PROCESSING);
    assert.equal(playable.playable, true);
    assert.deepEqual(rungs(playable), [["360p", "ENCODING", false], ["240p", "READY", false]]);
    const masterUrl = `${stack.baseUrl}${playable.playbackPath}`;
    const base = masterUrl.replace(/master\.m3u8$/, "");
    assert.deepEqual(parseMaster(await text(masterUrl)).map((v) => v.uri), ["240p/index.m3u8"]);
    assert.equal((await fetch(`${base}source/index.m3u8`)).status, 404, "nothing was remuxed");
    const first = await decodeRendition(`${base}240p/index.m3u8`);
    assert.deepEqual([first.width, first.height], [426, 240]);

    gate.release(id);
    const ready = await waitUntilDone(id);
    assert.equal(ready.status, VideoStatus.READY, ready.failureReason);
    assert.deepEqual(rungs(ready), [["360p", "READY", false], ["240p", "READY", false]]);
    assertQualityReports(ready, 4); // 120 frames: the fewest
    assert.deepEqual(parseMaster(await text(masterUrl)).map((v) => v.uri), ["360p/index.m3u8", "240p/index.m3u8"]);
    const [high, low] = await Promise.all(["360p", "240p"].map(async (rung) => parseMedia(await text(`${base}${rung}/index.m3u8`)).durations));
    assert.ok(near(high!, low!), `the fast rung and the ladder share boundaries: ${high!.join(" ")} vs ${low!.join(" ")}`);
  });
});
