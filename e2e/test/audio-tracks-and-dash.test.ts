import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { createTempDir, ffmpeg, launchChromium, type TempDir } from "@kino/testkit";
import type HlsPlayer from "hls.js";
import type { Browser } from "playwright-core";
import { startPlayerPage, type PlayerPage } from "../../gateway/test/hls-player-page.ts";
import { DASH_PLAYERS, playDash, startDashPlayerPages, type DashPlayerPages } from "../../packages/dash/test/support/dash-players.ts";
import { startPipelineStack, type PipelineStack } from "../src/pipeline-stack.ts";
import { parseMaster, parseMedia, parseMedias, streamKinds } from "./hls-checks.ts";
import { uploadWhole } from "./tus-upload.ts";

let media: TempDir;
let stack: PipelineStack;
let browser: Browser;
let hlsPage: PlayerPage;
let dashPages: DashPlayerPages;
let video: Video;
let base: string;

const clipSeconds = 8;

async function waitUntilDone(id: string): Promise<Video> {
  const signal = AbortSignal.timeout(180_000);
  for await (const { video } of stack.videos.watchVideo({ id }, { signal })) {
    if (video && [VideoStatus.READY, VideoStatus.FAILED].includes(video.status)) return video;
  }
  throw new Error("WatchVideo ended before a terminal status");
}

async function get(url: string): Promise<Response> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return res;
}
const text = async (url: string) => (await get(url)).text();

/** Polls `read` until `done` holds (the origin's playback cache catches up with a caption change), returning the last value after 10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every init and media segment URI the HLS playlists of the master name, relative to the package. */
async function hlsFiles(masterText: string): Promise<Map<string, string[]>> {
  const playlists = [...parseMaster(masterText).map((v) => v.uri), ...parseMedias(masterText).map((m) => m.URI!)];
  const byPlaylist = new Map<string, string[]>();
  for (const playlist of playlists) {
    const dir = playlist.slice(0, playlist.lastIndexOf("/") + 1);
    const parsed = parseMedia(await text(`${base}${playlist}`));
    byPlaylist.set(playlist, [parsed.init, ...parsed.segments].map((uri) => `${dir}${uri}`));
  }
  return byPlaylist;
}

/** The files each MPD Representation names: its initialization and its media template expanded over the SegmentTimeline. */
function mpdFiles(mpd: string): string[][] {
  return [...mpd.matchAll(/<SegmentTemplate([^>]*)>\s*<SegmentTimeline>(.*?)<\/SegmentTimeline>/gs)].map(([, attributes, timeline]) => {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attributes!)?.[1];
    const count = [...timeline!.matchAll(/<S\b([^>]*)\/>/g)].reduce((sum, [, s]) => sum + 1 + Number(/\br="(\d+)"/.exec(s!)?.[1] ?? 0), 0);
    const [, prefix, width, suffix] = /^(.*)\$Number(?:%0(\d+)d)?\$(.*)$/.exec(attribute("media")!)!;
    const start = Number(attribute("startNumber") ?? 1);
    const names = Array.from({ length: count }, (_, i) => `${prefix}${String(start + i).padStart(Number(width ?? 0), "0")}${suffix}`);
    return [attribute("initialization")!, ...names];
  });
}

before(async () => {
  media = await createTempDir("kino-e2e-audio-tracks-");
  stack = await startPipelineStack("local", { segmentSeconds: 2 });
  browser = await launchChromium();
  hlsPage = await startPlayerPage();
  dashPages = await startDashPlayerPages();

  // Two audio streams, as a film with a dub has: English (440 Hz, the default) and French (880 Hz).
  const clip = join(media.path, "two-languages.mp4");
  await ffmpeg([
    ...["-f", "lavfi", "-i", `testsrc2=size=640x360:rate=30:duration=${clipSeconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${clipSeconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=880:sample_rate=48000:duration=${clipSeconds}`],
    ...["-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    ...["-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra", "-disposition:a:0", "default", "-disposition:a:1", "0", clip],
  ]);
  video = await waitUntilDone(await uploadWhole(stack, clip, "two languages"));
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  base = `${stack.baseUrl}${video.playbackPath.replace(/master\.m3u8$/, "")}`;
});
after(async () => {
  await dashPages?.close();
  await hlsPage?.close();
  await browser?.close();
  await stack?.close();
  await media?.remove();
});

describe("a source with two audio streams", () => {
  test("the master lists one audio group with both tracks, every video variant points at it, and the audio is stored once", async () => {
    const master = await text(`${base}master.m3u8`);
    const tracks = parseMedias(master);
    assert.deepEqual(
      tracks.map((m) => [m.TYPE, m["GROUP-ID"], m.NAME, m.LANGUAGE, m.DEFAULT, m.AUTOSELECT, m.URI]),
      [
        ["AUDIO", "aud", "English", "eng", "YES", "YES", "audio/eng/index.m3u8"],
        ["AUDIO", "aud", "French", "fra", "NO", "YES", "audio/fra/index.m3u8"],
      ],
    );
    const variants = parseMaster(master);
    assert.deepEqual(variants.map((v) => v.uri), ["360p/index.m3u8", "240p/index.m3u8"]);
    for (const variant of variants) {
      assert.equal(variant.attributes.AUDIO, "aud", `${variant.uri} plays with the group`);
      assert.match(variant.attributes.CODECS!, /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      assert.deepEqual(await streamKinds(`${base}${variant.uri}`), ["video"], `${variant.uri} holds no audio`);
    }
    for (const track of tracks) assert.deepEqual(await streamKinds(`${base}${track.URI}`), ["audio"]);
  });

  test("hls.js plays, switches from the English to the French track and plays on", async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const fetched: string[] = [];
      tab.on("response", (response) => {
        if (response.ok()) fetched.push(response.url());
      });
      await tab.goto(hlsPage.url);
      await tab.evaluate((source) => {
        const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
        const element = document.getElementById("video") as HTMLVideoElement;
        const hls = new Hls();
        const state = { fatal: undefined as string | undefined, tracks: [] as string[], switchedTo: [] as number[], switchedAt: -1 };
        Object.assign(window, { playState: state });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (data.fatal) state.fatal = `${data.type}:${data.details}`;
        });
        hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, (_e, data) => (state.tracks = data.audioTracks.map((t) => `${t.lang}:${t.name}:${t.default}`)));
        hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, (_e, data) => {
          state.switchedTo.push(data.id);
          if (data.id === 1) state.switchedAt = element.currentTime;
        });
        element.addEventListener("timeupdate", () => {
          if (element.currentTime >= 1 && hls.audioTrack === 0) hls.audioTrack = 1;
        });
        hls.loadSource(source);
        hls.attachMedia(element);
        void element.play();
      }, `${base}master.m3u8`);
      type State = { fatal?: string; tracks: string[]; switchedTo: number[]; switchedAt: number };
      await tab
        .waitForFunction(
          () => {
            const state = (window as unknown as { playState: State }).playState;
            const time = (document.getElementById("video") as HTMLVideoElement).currentTime;
            return state.fatal !== undefined || (state.switchedAt >= 0 && time >= state.switchedAt + 2.5);
          },
          undefined,
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      const state = await tab.evaluate(() => ({ ...(window as unknown as { playState: State }).playState, time: (document.getElementById("video") as HTMLVideoElement).currentTime }));
      assert.equal(state.fatal, undefined);
      assert.deepEqual(state.tracks, ["eng:English:true", "fra:French:false"]);
      assert.ok(state.switchedTo.includes(1), `switched to the French track: ${state.switchedTo.join(",")}`);
      assert.ok(state.time >= state.switchedAt + 2.5, `played on after the switch at ${state.switchedAt} s, to ${state.time} s`);
      assert.ok(fetched.some((url) => /\/audio\/fra\/seg_\d+\.m4s$/.test(url)), "French segments were fetched");
    } finally {
      await context.close();
    }
  });

  test("the MPD is served like the master and names exactly the files the HLS playlists do", async () => {
    const [masterResponse, mpdResponse] = await Promise.all([get(`${base}master.m3u8`), get(`${base}manifest.mpd`)]);
    assert.equal(mpdResponse.headers.get("content-type"), "application/dash+xml");
    assert.equal(mpdResponse.headers.get("cache-control"), masterResponse.headers.get("cache-control"), "cached like the master it is republished with");
    const mpd = await mpdResponse.text();
    assert.deepEqual([...mpd.matchAll(/<AdaptationSet[^>]*contentType="audio"[^>]*lang="([^"]+)"/g)].map((m) => m[1]), ["eng", "fra"], "one audio adaptation set per track");
    const hls = await hlsFiles(await masterResponse.text());
    assert.deepEqual(mpdFiles(mpd), [...hls.values()], "every representation names its HLS playlist's init and segments, in order");
  });

  // Runs after the tests that compare exact file lists, and before the players load the MPD with its subtitle set.
  test("the MPD carries a subtitle set per caption track, naming the WebVTT file the HLS subtitle group plays", async () => {
    const captions = await fetch(`${stack.baseUrl}/videos/${video.id}/captions/en?label=English`, {
      method: "PUT",
      headers: { authorization: `Bearer ${stack.apiKey}` },
      body: "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nHello\n\n00:00:03.000 --> 00:00:06.000\nAgain\n",
    });
    assert.equal(captions.status, 200, await captions.text());
    const mpd = await eventually(() => text(`${base}manifest.mpd`), (m) => m.includes('contentType="text"'));
    const sets = [...mpd.matchAll(/<AdaptationSet\b[^>]*\bid="(\d+)"[^>]*>/g)];
    assert.deepEqual(new Set(sets.map((m) => m[1])).size, sets.length, "adaptation set ids stay unique");
    const subtitleSet = /<AdaptationSet[^>]*contentType="text" mimeType="text\/vtt" lang="en">\s*<Role[^>]*value="subtitle"\/>\s*<Label>English<\/Label>\s*<Representation[^>]*><BaseURL>captions\/en\.vtt<\/BaseURL>/.exec(mpd);
    assert.ok(subtitleSet, mpd);
    const master = await text(`${base}master.m3u8`);
    assert.match(master, /TYPE=SUBTITLES,[^\n]*URI="captions\/en\.m3u8"/);
    assert.match(await text(`${base}captions/en.vtt`), /^WEBVTT[\s\S]*Hello/);
  });

  for (const player of DASH_PLAYERS) {
    test(`${player} plays the MPD through the origin past 3 s with no error, fetching only files the HLS playlists list`, async () => {
      const listed = new Set([...(await hlsFiles(await text(`${base}master.m3u8`))).values()].flat());
      const played = await playDash(browser, dashPages, player, `${base}manifest.mpd`, 3);
      assert.deepEqual(played.errors, [], `${player} reported errors`);
      assert.ok(played.currentTime > 3, `${player} played ${played.currentTime} s`);
      const fetchedMedia = played.fetched.filter((url) => /\.(m4s|mp4)$/.test(url)).map((url) => url.slice(base.length));
      assert.ok(fetchedMedia.some((f) => f.startsWith("audio/")) && fetchedMedia.some((f) => !f.startsWith("audio/")), `fetched audio and video: ${fetchedMedia.join(", ")}`);
      assert.deepEqual(fetchedMedia.filter((f) => !listed.has(f)), [], "no file but the HLS package's");
    });
  }
});
