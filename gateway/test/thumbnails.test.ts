import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Visibility } from "@kino/proto/catalog/v1";
import sharp from "sharp";
import { startPlaybackStack, userIds, type PlaybackStack } from "./playback-stack.ts";

let stack: PlaybackStack;
before(async () => {
  stack = await startPlaybackStack();
});
after(() => stack.close());

const thumbnail = (videoId: string, query: string, token?: string) =>
  fetch(`${stack.baseUrl}/hls/${videoId}/out1/${token ? `~${token}/` : ""}thumbnail.jpg?${query}`);

test("a thumbnail at a time and width is rendered once from one segment, then served from storage with immutable caching", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const first = await thumbnail(video.id, "time=1.5&width=160");
  assert.equal(first.status, 200, await first.clone().text());
  assert.equal(first.headers.get("x-kino-thumbnail"), "rendered");
  assert.equal(first.headers.get("content-type"), "image/jpeg");
  assert.match(first.headers.get("cache-control") ?? "", /public, max-age=\d+, immutable/);
  const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 160, 90]);

  // 1.5 s and 1 s are one second of the grid; a time past the end is the last second.
  const again = await thumbnail(video.id, "time=1&width=160");
  assert.equal(again.headers.get("x-kino-thumbnail"), "stored");
  const etag = again.headers.get("etag")!;
  assert.equal(etag, first.headers.get("etag"));
  const revalidated = await fetch(`${stack.baseUrl}/hls/${video.id}/out1/thumbnail.jpg?time=1&width=160`, { headers: { "if-none-match": etag } });
  assert.equal(revalidated.status, 304);
  const late = await thumbnail(video.id, "time=9999&width=160");
  assert.equal(late.status, 200);
  assert.equal(late.headers.get("x-kino-thumbnail"), "stored", "clamped to the last second, which is second 1 of this 2 s clip");
});

test("concurrent first requests for one thumbnail render it once", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const answers = await Promise.all(Array.from({ length: 8 }, () => thumbnail(video.id, "time=0&width=320")));
  for (const answer of answers) assert.equal(answer.status, 200);
  const bodies = await Promise.all(answers.map(async (a) => Buffer.from(await a.arrayBuffer())));
  assert.ok(bodies.every((b) => b.equals(bodies[0]!)), "every request got the same image");
  assert.deepEqual(answers.map((a) => a.headers.get("x-kino-thumbnail")).filter((h) => h === "rendered"), ["rendered"]);
  assert.equal((await sharp(bodies[0]!).metadata()).width, 320, "never more than the rendition's width would give, but as wide as asked");
});

test("widths outside the set and malformed times are refused; nothing is rendered for them", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  for (const query of ["width=300", "width=99999", "width=-160", "width=abc", "time=-1&width=160", "time=1e9&width=160", "time=NaN"]) {
    const answer = await thumbnail(video.id, query);
    assert.equal(answer.status, 400, query);
    assert.match(await answer.text(), /width must be one of 160, 320, 640, 1280|time must be/);
  }
});

test("a private video's thumbnail needs its owner's token, like the stream; a forged one is refused before any render", async () => {
  const video = await stack.readyVideo("alice", Visibility.PRIVATE);
  assert.equal((await thumbnail(video.id, "time=1&width=160")).status, 403);
  assert.equal((await thumbnail(video.id, "time=1&width=160", "forged")).status, 403);
  const bobs = stack.tokens.issue({ videoId: video.id, viewerId: userIds.bob, ttlSeconds: 600 }).token;
  assert.equal((await thumbnail(video.id, "time=1&width=160", bobs)).status, 403);
  const token = stack.tokens.issue({ videoId: video.id, viewerId: userIds.alice, ttlSeconds: 600 }).token;
  const answer = await thumbnail(video.id, "time=1&width=160", token);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("x-kino-thumbnail"), "rendered");
  assert.match(answer.headers.get("cache-control") ?? "", /^private, max-age=\d+$/);
});
