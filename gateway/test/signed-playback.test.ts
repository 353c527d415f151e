import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { CACHE_STATUS_HEADER, startCachingProxy } from "@kino/testkit";
import { startPlaybackStack, userIds, type PlaybackStack, type TestUser } from "./playback-stack.ts";
import { rawRequest } from "./origin-test-server.ts";

// Short, so the revocation tests wait seconds, not the gateway's 30 s.
const playbackTtlMs = 1_000;
const files = ["master.m3u8", "180p/index.m3u8", "180p/init.mp4", "180p/seg_00000.m4s", "poster.jpg", "storyboard.vtt", "preview.webp"];

let stack: PlaybackStack;
before(async () => {
  stack = await startPlaybackStack({ playbackCacheTtlMs: playbackTtlMs });
});
after(() => stack?.close());

async function info(user: TestUser | undefined, video: Video) {
  return stack.playbackAs(user).getPlaybackInfo({ videoId: video.id });
}

async function refusedWith(promise: Promise<unknown>, code: Code, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConnectError, String(error));
    assert.equal(error.code, code, `expected ${Code[code]}, got ${Code[error.code]}: ${error.rawMessage}`);
    if (message) assert.match(error.rawMessage, message);
    return true;
  });
}

/** `/hls/<video>/<output>/~<token>/` of a signed URL, and its token. */
function signedBase(url: string): { base: string; token: string } {
  const match = /^(.*\/hls\/[a-z0-9]{20}\/out1\/~([^/]+)\/)master\.m3u8$/.exec(url);
  assert.ok(match, `not a signed master URL: ${url}`);
  return { base: match[1]!, token: match[2]! };
}

const plainBase = (video: Video) => `${stack.baseUrl}/hls/${video.id}/out1/`;
const withToken = (video: Video, token: string) => `${plainBase(video)}~${token}/`;

async function statusOf(url: string, method = "GET"): Promise<number> {
  const res = await fetch(url, { method });
  await res.arrayBuffer();
  return res.status;
}

/** A refusal that tells an attacker nothing: 403, one fixed body, never stored. */
async function assertForbidden(url: string, what: string): Promise<void> {
  const res = await fetch(url);
  assert.equal(res.status, 403, what);
  assert.equal(await res.text(), "forbidden\n", what);
  assert.equal(res.headers.get("cache-control"), "no-store", what);
  assert.equal(await statusOf(url, "HEAD"), 403, `${what} (HEAD)`);
}

test("a public video gets plain URLs that never expire; they play without a token and with one", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  for (const user of [undefined, "bob", "alice"] as const) {
    const answer = await info(user, video);
    assert.equal(answer.hlsUrl, `${stack.baseUrl}${video.playbackPath}`, user);
    assert.equal(answer.posterUrl, `${stack.baseUrl}${video.posterPath}`, user);
    assert.equal(answer.expireTime, undefined, user);
  }
  const plain = await fetch(`${plainBase(video)}master.m3u8`);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get("cache-control"), "public, max-age=10");
  const { token } = stack.tokens.issue({ videoId: video.id });
  for (const file of files) assert.equal(await statusOf(`${withToken(video, token)}${file}`), 200, file);
  const segment = await fetch(`${withToken(video, token)}180p/seg_00000.m4s`);
  assert.equal(segment.headers.get("cache-control"), "public, max-age=31536000, immutable");
});

test("an unlisted video gets URLs signed for anyone holding them, and plays through them only", async () => {
  const video = await stack.readyVideo("alice", Visibility.UNLISTED);
  const other = await stack.readyVideo("alice", Visibility.UNLISTED);
  const asked = Date.now();
  const answer = await info(undefined, video);
  const { base, token } = signedBase(answer.hlsUrl);
  assert.equal(base, withToken(video, token));
  assert.equal(answer.posterUrl, `${base}poster.jpg`);
  const grant = stack.tokens.verify(token, video.id);
  assert.equal(grant.viewerId, undefined, "no viewer: the link is the capability");
  assert.ok(Math.abs(timestampMs(answer.expireTime!) - (asked + 6 * 3600_000)) < 60_000, "6 h by default");
  assert.equal(timestampMs(answer.expireTime!), grant.expiresAt * 1000);

  for (const file of files) {
    const res = await fetch(`${base}${file}`);
    await res.arrayBuffer();
    assert.equal(res.status, 200, file);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers.get("cache-control") ?? "")?.[1]);
    assert.ok(maxAge > 0 && maxAge <= (file.endsWith(".m3u8") ? 10 : 6 * 3600), `${file}: ${res.headers.get("cache-control")}`);
  }
  const shortLived = stack.tokens.issue({ videoId: video.id, ttlSeconds: 30 }).token;
  assert.match((await fetch(`${withToken(video, shortLived)}180p/init.mp4`)).headers.get("cache-control") ?? "", /^private, max-age=(29|30)$/, "never kept past the token");

  const [payload, signature] = token.split(".") as [string, string];
  const tampered = `${payload}.${signature.slice(0, 5)}${signature[5] === "x" ? "y" : "x"}${signature.slice(6)}`;
  const expired = stack.tokens.issue({ videoId: video.id, ttlSeconds: 3600 }, Date.now() - 3601_000).token;
  const forOtherVideo = signedBase((await info(undefined, other)).hlsUrl).token;
  const bobsOwn = stack.tokens.issue({ videoId: video.id, viewerId: userIds.bob }).token;
  assert.equal(await statusOf(`${withToken(video, bobsOwn)}master.m3u8`), 200, "a viewer-bound token opens an unlisted video too");
  for (const file of ["master.m3u8", "180p/seg_00000.m4s", "poster.jpg", "storyboard.vtt", "preview.webp"]) {
    await assertForbidden(`${plainBase(video)}${file}`, `${file} without a token`);
    await assertForbidden(`${withToken(video, expired)}${file}`, `${file} with an expired token`);
    await assertForbidden(`${withToken(video, tampered)}${file}`, `${file} with a tampered token`);
    await assertForbidden(`${withToken(video, forOtherVideo)}${file}`, `${file} with another video's token`);
    await assertForbidden(`${withToken(video, "")}${file}`, `${file} with an empty token`);
    await assertForbidden(`${withToken(video, "garbage")}${file}`, `${file} with garbage for a token`);
  }
  assert.equal(await statusOf(`${base}180p/nothing.m4s`), 404, "a good token opens only files that exist");
  assert.equal(await statusOf(`${stack.baseUrl}/hls/${video.id}/out0/~${token}/master.m3u8`), 404, "nor another attempt");
});

test("a private video plays only with a token naming its owner, which only the owner gets", async () => {
  const video = await stack.readyVideo("alice", Visibility.PRIVATE);
  await refusedWith(info("bob", video), Code.NotFound, /not found/);
  await refusedWith(info(undefined, video), Code.NotFound, /not found/);

  const answer = await info("alice", video);
  const { base, token } = signedBase(answer.hlsUrl);
  assert.equal(stack.tokens.verify(token, video.id).viewerId, userIds.alice);
  for (const file of files) assert.equal(await statusOf(`${base}${file}`), 200, file);

  const bobsOwn = stack.tokens.issue({ videoId: video.id, viewerId: userIds.bob }).token;
  const alicesExpired = stack.tokens.issue({ videoId: video.id, viewerId: userIds.alice, ttlSeconds: 60 }, Date.now() - 61_000).token;
  const noViewer = stack.tokens.issue({ videoId: video.id }).token;
  for (const file of ["master.m3u8", "180p/seg_00000.m4s", "storyboard.vtt", "preview.webp"]) {
    await assertForbidden(`${withToken(video, bobsOwn)}${file}`, `${file} with bob's own token`);
    await assertForbidden(`${withToken(video, alicesExpired)}${file}`, `${file} with alice's expired token`);
    await assertForbidden(`${withToken(video, noViewer)}${file}`, `${file} with a token naming no viewer`);
    await assertForbidden(`${plainBase(video)}${file}`, `${file} without a token`);
  }
});

test("GetPlaybackInfo refuses videos that cannot play, and ids that are not video ids", async () => {
  const { video: uploading } = await stack.catalogAs("alice").createVideo({ title: "not yet", visibility: Visibility.UNLISTED });
  await refusedWith(info("alice", uploading!), Code.FailedPrecondition, /not READY yet: it is UPLOADING/);
  await refusedWith(info("bob", uploading!), Code.NotFound);
  await refusedWith(stack.playbackAs("alice").getPlaybackInfo({ videoId: "" }), Code.InvalidArgument, /video_id is required/);
  await refusedWith(stack.playbackAs("alice").getPlaybackInfo({ videoId: "../../etc/passwd" }), Code.InvalidArgument, /video_id must be a video id/);
  await refusedWith(stack.playbackAs("alice").getPlaybackInfo({ videoId: "abcdefghij0123456789" }), Code.NotFound);
});

/** Polls until `url` answers `status`; how long that took. */
async function untilStatus(url: string, status: number, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const now = await statusOf(url);
    const waited = performance.now() - started;
    if (now === status) return waited;
    assert.ok(waited < withinMs, `still ${now}, not ${status}, after ${Math.round(waited)} ms`);
    await sleep(50);
  }
}

// The origin's cached answer may be up to one TTL old; the rest is slack for a busy machine.
const revocationBoundMs = playbackTtlMs + 2_000;

test("made private, a video refuses new URLs to others at once and its old unlisted URLs within the origin's TTL", async () => {
  const video = await stack.readyVideo("alice", Visibility.UNLISTED);
  const bobs = await info("bob", video);
  const anonymous = await info(undefined, video);
  assert.equal(await statusOf(bobs.hlsUrl), 200);
  await stack.catalogAs("alice").updateVideo({ id: video.id, visibility: Visibility.PRIVATE });

  await refusedWith(info("bob", video), Code.NotFound);
  await refusedWith(info(undefined, video), Code.NotFound);
  await untilStatus(bobs.hlsUrl, 403, revocationBoundMs);
  for (const url of [bobs.hlsUrl, anonymous.hlsUrl, anonymous.posterUrl, bobs.hlsUrl.replace("master.m3u8", "180p/seg_00001.m4s")]) {
    await assertForbidden(url, `${url} after the video was made private`);
  }
  const owners = await info("alice", video);
  assert.equal(await statusOf(owners.hlsUrl), 200, "the owner still plays");
});

test("deleted, a video refuses new URLs at once and its old ones within the origin's TTL", async () => {
  const video = await stack.readyVideo("alice", Visibility.PRIVATE);
  const owners = await info("alice", video);
  assert.equal(await statusOf(owners.hlsUrl), 200);
  await stack.catalogAs("alice").deleteVideo({ id: video.id });
  await refusedWith(info("alice", video), Code.NotFound);
  await untilStatus(owners.hlsUrl, 404, revocationBoundMs);
});

test("behind a caching CDN, a public video's files are stored, an unlisted video's signed answers never are", async () => {
  const publicVideo = await stack.readyVideo("alice", Visibility.PUBLIC);
  const unlisted = await stack.readyVideo("alice", Visibility.UNLISTED);
  const cdn = await startCachingProxy(stack.baseUrl);
  try {
    const port = Number(new URL(cdn.url).port);
    const pathOf = (url: string) => url.slice(stack.baseUrl.length);
    const twice = async (path: string) => {
      const answers = [];
      for (let i = 0; i < 2; i++) answers.push(await rawRequest(port, path));
      return answers.map((a) => [a.status, a.headers[CACHE_STATUS_HEADER]]);
    };
    const publicMaster = pathOf((await info(undefined, publicVideo)).hlsUrl);
    assert.deepEqual(await twice(publicMaster), [[200, "MISS"], [200, "HIT"]]);
    assert.deepEqual(await twice(publicMaster.replace("master.m3u8", "180p/seg_00000.m4s")), [[200, "MISS"], [200, "HIT"]]);

    const signed = pathOf((await info(undefined, unlisted)).hlsUrl);
    for (const path of [signed, signed.replace("master.m3u8", "180p/seg_00000.m4s")]) {
      const answers = await twice(path);
      assert.deepEqual(answers.map(([status]) => status), [200, 200], path);
      assert.ok(answers.every(([, cache]) => cache !== "HIT"), `${path} was stored: ${JSON.stringify(answers)}`);
    }
    // So revoking reaches through the CDN as it reaches the origin.
    await stack.catalogAs("alice").updateVideo({ id: unlisted.id, visibility: Visibility.PRIVATE });
    await untilStatus(`${cdn.url}${signed.replace("master.m3u8", "180p/seg_00000.m4s")}`, 403, revocationBoundMs);
  } finally {
    await cdn.stop();
  }
});
