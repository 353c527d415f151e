import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Visibility } from "@kino/proto/catalog/v1";
import sharp from "sharp";
import { startPlaybackStack, type PlaybackStack } from "./playback-stack.ts";
import { alice, bob } from "./start-test-stack.ts";

let stack: PlaybackStack;
before(async () => {
  stack = await startPlaybackStack();
});
after(() => stack.close());

const photo = (width = 1600, height = 900) =>
  sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .png()
    .toBuffer();

const send = (method: "PUT" | "DELETE", videoId: string, body?: Buffer, credential = alice.apiKey) =>
  fetch(`${stack.baseUrl}/videos/${videoId}/poster`, {
    method,
    headers: { authorization: `Bearer ${credential}`, "content-type": "image/png" },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });

async function posterPathOf(videoId: string): Promise<string> {
  return (await stack.catalogAs("alice").getVideo({ id: videoId })).video!.posterPath;
}

test("an uploaded PNG replaces the automatic poster; what is served is Kino's JPEG, bounded in size, and DELETE brings the automatic one back", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const automatic = video.posterPath;
  assert.equal(automatic, `/hls/${video.id}/out1/poster.jpg`);
  const upload = await photo();
  const answer = await send("PUT", video.id, upload);
  assert.equal(answer.status, 200, await answer.clone().text());
  const { posterPath } = (await answer.json()) as { posterPath: string };
  assert.match(posterPath, new RegExp(`^/hls/${video.id}/out1/posters/[0-9a-f]{32}\\.jpg$`));
  const after = (await stack.catalogAs("alice").getVideo({ id: video.id })).video!;
  assert.equal(after.posterPath, posterPath, "the catalog names the new poster");
  assert.ok(after.version > video.version, "a new version, so search's copy (video.updated) follows");

  const served = await fetch(`${stack.baseUrl}${posterPath}`);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/jpeg");
  assert.match(served.headers.get("cache-control") ?? "", /immutable/);
  const bytes = Buffer.from(await served.arrayBuffer());
  assert.ok(!bytes.equals(upload), "the upload itself is never served");
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.format, "jpeg");
  assert.deepEqual([meta.width, meta.height], [1280, 720], "scaled into the 1280x720 box");

  // A second upload gets a path of its own (posters are immutable); the replaced file is gone.
  const again = await send("PUT", video.id, await photo(640, 360));
  assert.equal(again.status, 200);
  const second = ((await again.json()) as { posterPath: string }).posterPath;
  assert.notEqual(second, posterPath);
  assert.equal((await fetch(`${stack.baseUrl}${posterPath}`)).status, 404);
  assert.deepEqual([(await sharp(Buffer.from(await (await fetch(`${stack.baseUrl}${second}`)).arrayBuffer())).metadata()).width], [640], "never enlarged");

  const cleared = await send("DELETE", video.id);
  assert.equal(cleared.status, 200);
  assert.equal(((await cleared.json()) as { posterPath: string }).posterPath, automatic);
  assert.equal(await posterPathOf(video.id), automatic);
  assert.equal((await fetch(`${stack.baseUrl}${second}`)).status, 404);
});

test("an SVG, a polyglot (a PNG with a ZIP or an HTML page appended), a damaged PNG and a 50 MB image are refused with a reason, and the poster stays", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const png = await photo(320, 180);
  const zip = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(40, 1), Buffer.from("PK\x05\x06", "latin1"), Buffer.alloc(18)]);
  const refusals: [string, Buffer, number, RegExp][] = [
    ["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 415, /svg images are not accepted/],
    ["PNG + ZIP", Buffer.concat([png, zip]), 415, /PNG file is refused: bytes follow the end of the image/],
    ["PNG + HTML", Buffer.concat([png, Buffer.from("<html><script>alert(document.cookie)</script></html>")]), 415, /bytes follow the end/],
    ["truncated PNG", png.subarray(0, png.length - 200), 415, /PNG file is refused|could not be decoded/],
    ["50 MB", Buffer.concat([png, Buffer.alloc(50 * 1024 * 1024)]), 413, /at most 10485760 bytes/],
  ];
  for (const [name, body, status, reason] of refusals) {
    const answer = await send("PUT", video.id, body);
    const text = await answer.text();
    assert.equal(answer.status, status, `${name}: ${text}`);
    assert.match(text, reason, name);
  }
  assert.equal(await posterPathOf(video.id), video.posterPath, "nothing changed");
});

test("nobody but the owner changes a poster: another user is refused, a private video is not found to them, anonymous callers must sign in", async () => {
  const video = await stack.readyVideo("alice", Visibility.PUBLIC);
  const hidden = await stack.readyVideo("alice", Visibility.PRIVATE);
  const png = await photo(320, 180);
  for (const credential of [bob.apiKey, bob.accessToken]) {
    const put = await send("PUT", video.id, png, credential);
    assert.equal(put.status, 403, await put.text());
    assert.equal((await send("DELETE", video.id, undefined, credential)).status, 403);
    assert.equal((await send("PUT", hidden.id, png, credential)).status, 404);
  }
  const anonymous = await fetch(`${stack.baseUrl}/videos/${video.id}/poster`, { method: "PUT", body: new Uint8Array(png) });
  assert.equal(anonymous.status, 401);
  assert.equal(await posterPathOf(video.id), video.posterPath);
  assert.equal(await posterPathOf(hidden.id), hidden.posterPath);

  // The owner's private poster plays only with a token, like the stream.
  const own = await send("PUT", hidden.id, png);
  assert.equal(own.status, 200, await own.clone().text());
  const { posterPath } = (await own.json()) as { posterPath: string };
  assert.equal((await fetch(`${stack.baseUrl}${posterPath}`)).status, 403);
  const info = await stack.playbackAs("alice").getPlaybackInfo({ videoId: hidden.id });
  assert.match(info.posterUrl, /\/posters\//);
  assert.equal((await fetch(info.posterUrl)).status, 200);
});
