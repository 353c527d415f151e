import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { CACHE_STATUS_HEADER, launchChromium, startKinoEdge, type NginxProcess } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { playWithHlsJs, startPlayerPage, type PlayerPage } from "./hls-player-page.ts";
import { startPlaybackStack, userIds, type PlaybackStack } from "./playback-stack.ts";

const configFile = fileURLToPath(new URL("../../deploy/nginx/kino-edge.conf", import.meta.url));
// The edge remembers the gateway's yes or no for 5 s per token; the gateway its catalog answer for 1 s here.
const ACCESS_MEMORY_MS = 5000;

let stack: PlaybackStack;
let edge: NginxProcess;
let browser: Browser;
let player: PlayerPage;
let unlisted: Video;
before(async () => {
  [stack, browser, player] = await Promise.all([startPlaybackStack({ playbackCacheTtlMs: 1000 }), launchChromium(), startPlayerPage()]);
  edge = await startKinoEdge({ configFile, upstream: `127.0.0.1:${stack.port}` });
  unlisted = await stack.readyVideo("alice", Visibility.UNLISTED);
});
after(async () => {
  await browser?.close();
  await player?.close();
  await edge?.stop();
  await stack?.close();
});

const throughEdge = (url: string) => url.replace(stack.baseUrl, edge.url);
const signed = (video: Video, token: string, file: string) => `${edge.url}/hls/${video.id}/out1/~${token}/${file}`;
const tokenFor = (video: Video, viewer?: keyof typeof userIds) =>
  stack.tokens.issue({ videoId: video.id, ttlSeconds: 600, ...(viewer ? { viewerId: userIds[viewer] } : {}) }).token;
const MEDIA = ["180p/init.mp4", "180p/seg_00000.m4s", "180p/seg_00001.m4s"];

test("hls.js in Chromium plays an unlisted video through the edge for two viewers; the second one's media all come from the edge's one copy", async () => {
  const first = await stack.playbackAs(undefined).getPlaybackInfo({ videoId: unlisted.id });
  const one = await playWithHlsJs(browser, player.url, throughEdge(first.hlsUrl), 1.5);
  assert.equal(one.fatal, undefined, JSON.stringify(one.fetched));
  assert.ok(one.currentTime >= 1.5, `played only to ${one.currentTime} s`);
  const media = (outcome: typeof one) => outcome.fetched.filter((f) => /\.(mp4|m4s)$/.test(new URL(f.url).pathname));
  assert.ok(media(one).length >= 2, JSON.stringify(one.fetched));
  assert.ok(media(one).every((f) => f.status === 200 && f.cacheStatus === "MISS"), JSON.stringify(one.fetched));

  // Another viewer, another token: the same files under other URLs.
  const secondToken = tokenFor(unlisted, "bob");
  const two = await playWithHlsJs(browser, player.url, signed(unlisted, secondToken, "master.m3u8"), 1.5);
  assert.equal(two.fatal, undefined, JSON.stringify(two.fetched));
  assert.ok(two.currentTime >= 1.5);
  assert.ok(two.fetched.every((f) => new URL(f.url).pathname.includes(`/~${secondToken}/`)), "every URL under the second token");
  assert.ok(media(two).length >= 2);
  assert.ok(media(two).every((f) => f.status === 200 && f.cacheStatus === "HIT"), JSON.stringify(two.fetched));
});

test("a kept file is refused at the edge to a forged, expired or another video's token, and to no token at all", async () => {
  const good = tokenFor(unlisted);
  for (const file of MEDIA) assert.equal((await fetch(signed(unlisted, good, file))).status, 200, file);
  const other = await stack.readyVideo("alice", Visibility.UNLISTED);
  const refused = {
    forged: `${good.slice(0, -4)}AAAA`,
    expired: stack.tokens.issue({ videoId: unlisted.id, ttlSeconds: 60 }, Date.now() - 61_000).token,
    "another video's": tokenFor(other),
  };
  for (const [name, token] of Object.entries(refused)) {
    for (const file of MEDIA) {
      const res = await fetch(signed(unlisted, token, file));
      assert.equal(res.status, 403, `${name} token, ${file}`);
      assert.ok(!Buffer.from(await res.arrayBuffer()).includes(Buffer.from("moof")), "no media bytes");
    }
  }
  for (const file of MEDIA) assert.equal((await fetch(`${edge.url}/hls/${unlisted.id}/out1/${file}`)).status, 403, `${file} without a token`);
  assert.equal((await fetch(`${edge.url}/_kino/playback-access`)).status, 404, "the edge's question is internal");
});

test("a private video: the owner's token plays from the edge's copy, another viewer's is refused though the copy is there", async () => {
  const video = await stack.readyVideo("alice", Visibility.PRIVATE);
  const owner = tokenFor(video, "alice");
  const first = await fetch(signed(video, owner, "180p/seg_00000.m4s"));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get(CACHE_STATUS_HEADER), "MISS");
  assert.equal((await fetch(signed(video, tokenFor(video, "alice"), "180p/seg_00000.m4s"))).headers.get(CACHE_STATUS_HEADER), "HIT");
  assert.equal((await fetch(signed(video, tokenFor(video, "bob"), "180p/seg_00000.m4s"))).status, 403);
  assert.equal((await fetch(signed(video, tokenFor(video), "180p/seg_00000.m4s"))).status, 403, "a token naming no viewer");
});

test("ranges, HEAD and conditionals through the edge answer from its copy, byte for byte the origin's", async () => {
  const token = tokenFor(unlisted);
  const file = "180p/seg_00001.m4s";
  const whole = Buffer.from(await (await fetch(signed(unlisted, token, file))).arrayBuffer());
  const fromOrigin = Buffer.from(await (await fetch(`${stack.baseUrl}/hls/${unlisted.id}/out1/~${token}/${file}`)).arrayBuffer());
  assert.ok(whole.equals(fromOrigin));
  const part = await fetch(signed(unlisted, token, file), { headers: { range: "bytes=10-99" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 10-99/${whole.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 100)));
  const head = await fetch(signed(unlisted, token, file), { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(whole.length));
  const etag = head.headers.get("etag")!;
  assert.ok(etag);
  assert.equal((await fetch(signed(unlisted, token, file), { headers: { "if-none-match": etag } })).status, 304);
});

test("a public video made private stops at the edge within seconds, kept copies or not", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const plain = `${edge.url}${video.playbackPath.replace("master.m3u8", "180p/seg_00000.m4s")}`;
  assert.equal((await fetch(plain)).status, 200);
  assert.equal((await fetch(plain)).headers.get(CACHE_STATUS_HEADER), "HIT");
  await stack.catalogAs("alice").updateVideo({ id: video.id, visibility: Visibility.PRIVATE });
  const started = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - started < ACCESS_MEMORY_MS + 5000) {
    await sleep(250);
    status = (await fetch(plain)).status;
  }
  assert.equal(status, 403, "refused once the edge asks again");
  assert.ok(Date.now() - started <= ACCESS_MEMORY_MS + 2000, `took ${Date.now() - started} ms`);
  assert.equal((await fetch(signed(video, tokenFor(video, "alice"), "180p/seg_00000.m4s"))).status, 200, "the owner still plays");
});

test("a content key is never kept by the edge: each request reaches the gateway", async () => {
  const token = tokenFor(unlisted);
  for (let i = 0; i < 2; i++) {
    const res = await fetch(signed(unlisted, token, "content.key"));
    // Not a protected video: the gateway says so each time; the edge stores nothing.
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    assert.equal(res.headers.get(CACHE_STATUS_HEADER), null);
  }
});
