import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { launchChromium } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { packageFrames } from "./hls-package.ts";
import { playWithHlsJs, startPlayerPage, type PlayerPage } from "./hls-player-page.ts";
import { startPlaybackStack, type PlaybackStack } from "./playback-stack.ts";

const run = promisify(execFile);

let stack: PlaybackStack;
let browser: Browser;
let player: PlayerPage;
let unlisted: Video;
before(async () => {
  [stack, browser, player] = await Promise.all([startPlaybackStack(), launchChromium(), startPlayerPage()]);
  unlisted = await stack.readyVideo("alice", Visibility.UNLISTED);
});
after(async () => {
  await browser?.close();
  await player?.close();
  await stack?.close();
});

/** Decodes every frame of the first video stream and every audio packet reachable from `url`. */
async function decodeAll(url: string): Promise<{ videoFrames: number; audioPackets: number }> {
  const { stdout } = await run("ffprobe", [
    "-v", "error", "-count_frames", "-count_packets",
    "-show_entries", "stream=codec_type,nb_read_frames,nb_read_packets", "-of", "json", url,
  ]);
  const streams = (JSON.parse(stdout) as { streams: { codec_type: string; nb_read_frames?: string; nb_read_packets?: string }[] }).streams;
  return {
    videoFrames: Number(streams.find((s) => s.codec_type === "video")?.nb_read_frames ?? 0),
    audioPackets: Number(streams.find((s) => s.codec_type === "audio")?.nb_read_packets ?? 0),
  };
}

test("hls.js in Chromium plays an unlisted video from its signed URL alone: every request carries the token", async () => {
  const { hlsUrl } = await stack.playbackAs(undefined).getPlaybackInfo({ videoId: unlisted.id });
  const token = /\/~([^/]+)\/master\.m3u8$/.exec(hlsUrl)![1]!;
  const outcome = await playWithHlsJs(browser, player.url, hlsUrl, 1.5);
  assert.equal(outcome.fatal, undefined, `hls.js gave up; it fetched ${JSON.stringify(outcome.fetched)}`);
  assert.ok(outcome.currentTime >= 1.5, `played only to ${outcome.currentTime} s`);
  const paths = outcome.fetched.map((f) => new URL(f.url).pathname);
  for (const file of ["master.m3u8", "180p/index.m3u8", "180p/init.mp4", "180p/seg_00000.m4s"]) {
    assert.ok(paths.includes(`/hls/${unlisted.id}/out1/~${token}/${file}`), `${file} under the token: ${paths.join(", ")}`);
  }
  assert.ok(outcome.fetched.every((f) => f.status === 200 && new URL(f.url).pathname.includes(`/~${token}/`)), JSON.stringify(outcome.fetched));
});

test("hls.js cannot play the same video from its plain URL", async () => {
  const outcome = await playWithHlsJs(browser, player.url, `${stack.baseUrl}${unlisted.playbackPath}`, 1);
  assert.match(outcome.fatal ?? "", /networkError:manifestLoadError/);
  assert.deepEqual(outcome.fetched.map((f) => f.status), [403]);
});

test("ffmpeg decodes the whole unlisted video through its signed master URL, and nothing without a token", async () => {
  const { hlsUrl } = await stack.playbackAs(undefined).getPlaybackInfo({ videoId: unlisted.id });
  const decoded = await decodeAll(hlsUrl);
  assert.equal(decoded.videoFrames, packageFrames, "every frame of the 2 s clip");
  assert.ok(decoded.audioPackets > 80, `the audio too (${decoded.audioPackets} packets)`);
  await assert.rejects(decodeAll(`${stack.baseUrl}${unlisted.playbackPath}`), /403 Forbidden/);
  const expired = stack.tokens.issue({ videoId: unlisted.id, ttlSeconds: 60 }, Date.now() - 61_000).token;
  await assert.rejects(decodeAll(hlsUrl.replace(/~[^/]+/, `~${expired}`)), /403 Forbidden/);
});
