import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decryptSegment, parseMediaPlaylist, segmentIvs } from "@kino/media";
import { createPlaybackTokens } from "@kino/playback-tokens";
import { ContentProtection, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { createTempDir, decodedFrames, launchChromium, makeClip, type TempDir } from "@kino/testkit";
import type HlsPlayer from "hls.js";
import type { Browser } from "playwright-core";
import { startPlayerPage, type PlayerPage } from "../../gateway/test/hls-player-page.ts";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";
import { parseMaster, parseMedias } from "./hls-checks.ts";

let media: TempDir;
let stack: PipelineStack;
let browser: Browser;
let player: PlayerPage;
let video: Video;
let masterUrl: string;

before(async () => {
  media = await createTempDir("kino-e2e-protect-");
  stack = await startPipelineStack("local", { segmentSeconds: 1 });
  browser = await launchChromium();
  player = await startPlayerPage();
  const clip = await makeClip(join(media.path, "clip.mp4"), { width: 320, height: 180, seconds: 4, gop: 30 });
  const created = await stack.uploads.createUpload({ title: "protected", contentProtection: ContentProtection.AES_128 });
  assert.equal(created.video!.contentProtection, ContentProtection.AES_128);
  const body = await readFile(clip);
  const creation = await fetch(created.uploadUrl, { method: "POST", headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length) } });
  const location = new URL(creation.headers.get("location")!, created.uploadUrl).href;
  const patch = await fetch(location, { method: "PATCH", headers: { "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" }, body });
  assert.equal(patch.status, 204);
  const signal = AbortSignal.timeout(120_000);
  for await (const { video: v } of stack.videos.watchVideo({ id: created.video!.id }, { signal })) {
    if (v && [VideoStatus.READY, VideoStatus.FAILED].includes(v.status)) {
      video = v;
      break;
    }
  }
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  const transport = createConnectTransport({ baseUrl: stack.baseUrl, httpVersion: "1.1" });
  const info = await createClient(PlaybackService, transport).getPlaybackInfo({ videoId: video.id });
  masterUrl = info.hlsUrl;
});
after(async () => {
  await player?.close();
  await browser?.close();
  await stack?.close();
  await media?.remove();
});

const get = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return res;
};

test("a PUBLIC protected video plays from signed URLs; the key answers 403 without a token and with another video's, 200 (private, no-store) with its own; no MPD", async () => {
  assert.match(masterUrl, new RegExp(`/hls/${video.id}/[a-z0-9]+/~[^/]+/master\\.m3u8$`), "signed even though PUBLIC");
  const keyUrl = new URL("content.key", masterUrl).href;
  const plainKeyUrl = `${stack.baseUrl}${video.playbackPath.replace(/master\.m3u8$/, "content.key")}`;
  const without = await fetch(plainKeyUrl);
  assert.equal(without.status, 403);
  assert.match(without.headers.get("cache-control") ?? "", /no-store/);
  const otherToken = createPlaybackTokens(stack.playbackTokenSecret).issue({ videoId: "aaaaaaaaaaaaaaaaaaaa", ttlSeconds: 600 }).token;
  const outputRoot = plainKeyUrl.slice(0, plainKeyUrl.lastIndexOf("/"));
  assert.equal((await fetch(`${outputRoot}/~${otherToken}/content.key`)).status, 403, "a token for another video");
  const withToken = await get(keyUrl);
  assert.equal(withToken.headers.get("cache-control"), "private, no-store");
  assert.equal((await withToken.arrayBuffer()).byteLength, 16);
  assert.equal((await fetch(new URL("manifest.mpd", masterUrl).href)).status, 404, "no MPD for whole-segment AES-128");
  assert.equal((await fetch(new URL("thumbnail.jpg?time=1&width=320", masterUrl).href)).status, 404, "no frame rendered from encrypted segments");
});

test("every rung and the audio group are encrypted: init + a segment fetched directly decode no frame; decrypted with the key and the playlist's IV they do", async () => {
  const master = await (await get(masterUrl)).text();
  const key = Buffer.from(await (await get(new URL("content.key", masterUrl).href)).arrayBuffer());
  const tracks = [...parseMaster(master).map((v) => v.uri), ...parseMedias(master).map((m) => m.URI!)];
  assert.ok(tracks.length >= 2);
  for (const [i, uri] of tracks.entries()) {
    const playlistUrl = new URL(uri, masterUrl).href;
    const text = await (await get(playlistUrl)).text();
    const lines = text.split("\n");
    assert.ok(lines.findIndex((l) => l.startsWith("#EXT-X-MAP:")) < lines.findIndex((l) => l.startsWith("#EXT-X-KEY:METHOD=AES-128")), `${uri}: init clear, segments keyed`);
    const playlist = parseMediaPlaylist(text);
    const ivs = segmentIvs(text);
    const segment = playlist.segments[0]!;
    assert.ok(ivs.get(segment.uri), `${uri}: every segment has a key`);
    const init = Buffer.from(await (await get(new URL(playlist.mapUri!, playlistUrl).href)).arrayBuffer());
    const bytes = Buffer.from(await (await get(new URL(segment.uri, playlistUrl).href)).arrayBuffer());
    const direct = join(media.path, `direct-${i}.mp4`);
    await writeFile(direct, Buffer.concat([init, bytes]));
    assert.equal(await decodedFrames(direct), 0, `${uri}: fetched directly it does not decode`);
    const decrypted = join(media.path, `decrypted-${i}.mp4`);
    await writeFile(decrypted, Buffer.concat([init, decryptSegment(key, ivs.get(segment.uri)!, bytes)]));
    assert.ok((await decodedFrames(decrypted)) > 0, `${uri}: decrypted it does`);
  }
});

test("hls.js in Chromium plays the encrypted video with its token past 2 s, with no error", async () => {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(player.url);
    await tab.evaluate((source) => {
      const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
      const element = document.getElementById("video") as HTMLVideoElement;
      const hls = new Hls();
      const state = { fatal: undefined as string | undefined };
      Object.assign(window, { playState: state });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) state.fatal = `${data.type}:${data.details}`;
      });
      hls.loadSource(source);
      hls.attachMedia(element);
      element.muted = true;
      void element.play();
    }, masterUrl);
    await tab
      .waitForFunction(() => (window as unknown as { playState: { fatal?: string } }).playState.fatal !== undefined || (document.getElementById("video") as HTMLVideoElement).currentTime > 2.2, undefined, { timeout: 30_000 })
      .catch(() => undefined);
    const result = await tab.evaluate(() => ({ currentTime: (document.getElementById("video") as HTMLVideoElement).currentTime, ...(window as unknown as { playState: { fatal?: string } }).playState }));
    assert.equal(result.fatal, undefined);
    assert.ok(result.currentTime > 2, `played to ${result.currentTime}`);
  } finally {
    await context.close();
  }
});

test("the quality report is measured from the sealed segments (decrypted with the key): every rung has one", () => {
  assert.ok(video.renditions.length > 0);
  for (const r of video.renditions) {
    assert.equal(r.quality?.framesCompared, 4, `${r.name}: 3% of 120 frames, at least 4`);
    assert.ok(r.quality.ssim > 0.9 && r.quality.psnrDb > 25, `${r.name}: SSIM ${r.quality.ssim}, PSNR ${r.quality.psnrDb} dB`);
  }
});
