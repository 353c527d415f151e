import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { launchChromium } from "@kino/testkit";
import type HlsPlayer from "hls.js";
import type { Browser } from "playwright-core";
import { startPlayerPage, type PlayerPage } from "./hls-player-page.ts";
import { startPlaybackStack, type PlaybackStack, type TestUser } from "./playback-stack.ts";
import { alice, bob } from "./start-test-stack.ts";

const keys: Record<TestUser, string> = { alice: alice.apiKey, bob: bob.apiKey };

let stack: PlaybackStack;
let browser: Browser;
let player: PlayerPage;
let video: Video;
before(async () => {
  // A short cache, so the origin sees each caption change within a poll.
  [stack, browser, player] = await Promise.all([startPlaybackStack({ playbackCacheTtlMs: 100 }), launchChromium(), startPlayerPage()]);
  video = await stack.readyVideo("alice", Visibility.PUBLIC);
});
after(async () => {
  await browser?.close();
  await player?.close();
  await stack?.close();
});

const captionsUrl = (videoId: string, language: string, query = "") => `${stack.baseUrl}/videos/${videoId}/captions/${language}${query}`;
const putCaptions = (as: TestUser | undefined, videoId: string, language: string, body: string, query = "") =>
  fetch(captionsUrl(videoId, language, query), { method: "PUT", headers: as ? { authorization: `Bearer ${keys[as]}` } : {}, body });
const deleteCaptions = (as: TestUser, videoId: string, language: string) =>
  fetch(captionsUrl(videoId, language), { method: "DELETE", headers: { authorization: `Bearer ${keys[as]}` } });

/** Polls `read` until `done` holds (the origin's playback cache catches up), failing with the last value after 10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const text = async (url: string) => {
  const answer = await fetch(url);
  return { status: answer.status, body: await answer.text(), cacheControl: answer.headers.get("cache-control") };
};

const goodSrt = "1\r\n00:00:00,000 --> 00:00:01,500\r\nHello <font color=\"red\">world</font>\r\n\r\n2\r\n00:00:01,500 --> 00:00:02,000\r\nSecond cue\r\n";

test("an SRT with a malformed timestamp is refused naming its line, and nothing is published", async () => {
  const bad = "1\n00:00:00,000 --> 00:00:01,000\nfine\n\n2\n00:00:01,000 --> 00:00:0x,000\nbroken\n";
  const answer = await putCaptions("alice", video.id, "en", bad);
  assert.equal(answer.status, 400);
  assert.match(await answer.text(), /^caption file, line 6: /);
  const { captions } = await stack.catalogAs("alice").listCaptions({ videoId: video.id });
  assert.deepEqual(captions, []);
  assert.equal((await text(`${stack.baseUrl}/hls/${video.id}/out1/captions/en.vtt`)).status, 404);
});

test("a good SRT becomes a WebVTT subtitle track in the master that hls.js selects and shows cues from", async () => {
  const answer = await putCaptions("alice", video.id, "EN-us", goodSrt, "?label=English%20(US)");
  assert.equal(answer.status, 200, await answer.clone().text());
  assert.deepEqual(await answer.json(), { language: "en-US", label: "English (US)", version: "1", format: "srt", cues: 2 });

  const master = await eventually(() => text(`${stack.baseUrl}${video.playbackPath}`), (m) => m.body.includes("TYPE=SUBTITLES"));
  assert.match(master.body, /#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="en-US",NAME="English \(US\)",DEFAULT=NO,AUTOSELECT=YES,URI="captions\/en-US.m3u8"/);
  assert.ok(master.body.split("\n").filter((l) => l.startsWith("#EXT-X-STREAM-INF:")).every((l) => l.endsWith(',SUBTITLES="subs"')), master.body);
  assert.doesNotMatch(master.cacheControl ?? "", /immutable/);
  const media = await text(`${stack.baseUrl}/hls/${video.id}/out1/captions/en-US.m3u8`);
  assert.match(media.body, /#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2\.000,\nen-US\.vtt\n#EXT-X-ENDLIST/);
  const vtt = await text(`${stack.baseUrl}/hls/${video.id}/out1/captions/en-US.vtt`);
  assert.equal(vtt.status, 200);
  assert.match(vtt.body, /^WEBVTT/);
  assert.ok(vtt.body.includes("Hello world") && !vtt.body.includes("<font"), vtt.body);
  assert.doesNotMatch(vtt.cacheControl ?? "", /immutable/, "a replaced track must not be cached forever");

  // Signed playback: the relative URIs resolve under the token.
  const { hlsUrl } = await stack.playbackAs("alice").getPlaybackInfo({ videoId: video.id });
  const signed = await text(new URL("captions/en-US.vtt", hlsUrl).href);
  assert.equal(signed.status, 200);

  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(player.url);
    await tab.evaluate((source) => {
      const element = document.getElementById("video") as HTMLVideoElement;
      const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
      const hls = new Hls();
      Object.assign(window, { hls });
      hls.loadSource(source);
      hls.attachMedia(element);
      void element.play();
    }, hlsUrl);
    const handle = await tab.waitForFunction(
      () => {
        const hls = (window as unknown as { hls: HlsPlayer }).hls;
        const element = document.getElementById("video") as HTMLVideoElement;
        const tracks = [...element.textTracks].filter((t) => t.kind === "subtitles" || t.kind === "captions");
        // What a viewer's menu does: pick the track once hls.js has listed it and made its text track.
        if (tracks.length > 0 && hls.subtitleTrack === -1) hls.subtitleTrack = 0;
        const cues = tracks.flatMap((t) => [...(t.cues ?? [])].map((c) => (c as VTTCue).text));
        return cues.length >= 2 ? { tracks: hls.subtitleTracks.map((t) => [t.lang, t.name]), selected: hls.subtitleTrack, cues } : false;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    const seen = (await handle.jsonValue()) as { tracks: string[][]; selected: number; cues: string[] };
    assert.deepEqual(seen.tracks, [["en-US", "English (US)"]]);
    assert.equal(seen.selected, 0);
    assert.deepEqual(seen.cues, ["Hello world", "Second cue"]);
  } finally {
    await context.close();
  }
});

test("replacing a language replaces its file; deleting removes it from the master", async () => {
  const replaced = await putCaptions("alice", video.id, "en-US", "WEBVTT\n\n00:00.000 --> 00:01.000\nReplaced words\n");
  assert.equal(replaced.status, 200, await replaced.clone().text());
  assert.equal(((await replaced.json()) as { version: string }).version, "2");
  const vtt = await text(`${stack.baseUrl}/hls/${video.id}/out1/captions/en-US.vtt`);
  assert.ok(vtt.body.includes("Replaced words") && !vtt.body.includes("Hello world"), vtt.body);
  const { captions } = await stack.catalogAs("alice").listCaptions({ videoId: video.id });
  assert.deepEqual(captions.map((c) => [c.language, c.version]), [["en-US", 2n]]);

  assert.equal((await deleteCaptions("alice", video.id, "en-US")).status, 204);
  assert.equal((await deleteCaptions("alice", video.id, "en-US")).status, 404);
  const master = await eventually(() => text(`${stack.baseUrl}${video.playbackPath}`), (m) => !m.body.includes("SUBTITLES"));
  assert.doesNotMatch(master.body, /SUBTITLES/);
  assert.equal((await text(`${stack.baseUrl}/hls/${video.id}/out1/captions/en-US.vtt`)).status, 404);
  assert.deepEqual((await stack.catalogAs("alice").listCaptions({ videoId: video.id })).captions, []);
});

test("another user cannot upload or delete captions of your video, and nothing of theirs is stored", async () => {
  assert.equal((await putCaptions("alice", video.id, "fr", "WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n")).status, 200);
  const refused = await putCaptions("bob", video.id, "fr", "WEBVTT\n\n00:00.000 --> 00:01.000\nDefaced\n");
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /belongs to someone else/);
  assert.equal((await deleteCaptions("bob", video.id, "fr")).status, 403);
  assert.equal((await putCaptions(undefined, video.id, "fr", "WEBVTT\n")).status, 401);
  assert.equal((await putCaptions("alice", video.id, "not a language!", "WEBVTT\n")).status, 400);
  const vtt = await eventually(() => text(`${stack.baseUrl}/hls/${video.id}/out1/captions/fr.vtt`), (a) => a.status === 200);
  assert.ok(vtt.body.includes("Bonjour") && !vtt.body.includes("Defaced"), vtt.body);
});

test("a private video's captions are served to nobody else: not listed, not in its playlists without the owner's token", async () => {
  const hidden = await stack.readyVideo("alice", Visibility.PRIVATE);
  assert.equal((await putCaptions("alice", hidden.id, "de", "WEBVTT\n\n00:00.000 --> 00:01.000\nGeheim\n")).status, 200);
  assert.equal((await putCaptions("bob", hidden.id, "de", "WEBVTT\n")).status, 404, "to bob the video does not exist");
  await assert.rejects(stack.catalogAs("bob").listCaptions({ videoId: hidden.id }), /not found/i);
  assert.equal((await text(`${stack.baseUrl}/hls/${hidden.id}/out1/captions/de.vtt`)).status, 403);
  assert.equal((await text(`${stack.baseUrl}/hls/${hidden.id}/out1/captions/de.m3u8`)).status, 403);
  const bobs = stack.tokens.issue({ videoId: hidden.id, viewerId: bob.userId, ttlSeconds: 60 }).token;
  assert.equal((await text(`${stack.baseUrl}/hls/${hidden.id}/out1/~${bobs}/captions/de.vtt`)).status, 403);
  const { hlsUrl } = await stack.playbackAs("alice").getPlaybackInfo({ videoId: hidden.id });
  const owners = await eventually(() => text(new URL("captions/de.vtt", hlsUrl).href), (a) => a.status === 200);
  assert.ok(owners.body.includes("Geheim"));
  assert.match(owners.cacheControl ?? "", /^private/);
});
