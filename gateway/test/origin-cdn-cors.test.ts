import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CACHE_STATUS_HEADER, launchChromium, startCachingProxy, type CachingProxy } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { storeTinyPackage } from "./hls-package.ts";
import { playWithHlsJs, startPlayerPage, type PlayerPage } from "./hls-player-page.ts";
import { rawRequest, startOriginTestServer, type OriginTestServer } from "./origin-test-server.ts";

const videoId = "vid_cdn_cors";
const outputId = "out_cdn1";

let browser: Browser;
let player: PlayerPage;
before(async () => {
  [browser, player] = await Promise.all([launchChromium(), startPlayerPage()]);
});
after(async () => {
  await browser?.close();
  await player?.close();
});

interface Edge {
  origin: OriginTestServer;
  cdn: CachingProxy;
  port: number;
  files: string[];
  close(): Promise<void>;
}

/** The origin with the package, behind nginx caching like a CDN edge. Playlists live a minute, so none expires during a test. */
async function originBehindCdn(corsOrigins?: string): Promise<Edge> {
  const origin = await startOriginTestServer({ corsOrigins, playlistMaxAgeSeconds: 60 });
  const files = await storeTinyPackage(origin.storage, videoId, [outputId]);
  origin.playback.set(videoId, outputId);
  const cdn = await startCachingProxy(origin.baseUrl);
  return {
    origin,
    cdn,
    port: Number(new URL(cdn.url).port),
    files,
    async close() {
      await cdn.stop();
      await origin.close();
    },
  };
}

const pathOf = (file: string) => `/hls/${videoId}/${outputId}/${file}`;

/** What ffmpeg, VLC, Safari's native player or a prefetcher does: fetch every file without an Origin header. */
async function fetchEverythingWithoutOrigin(edge: Edge): Promise<void> {
  for (const file of edge.files) {
    const res = await rawRequest(edge.port, pathOf(file));
    assert.equal(res.status, 200, file);
    assert.equal(res.headers[CACHE_STATUS_HEADER], "MISS", `${file} was not in the cache before`);
  }
}

function assertPlayed(outcome: Awaited<ReturnType<typeof playWithHlsJs>>, seconds: number): void {
  assert.equal(outcome.fatal, undefined, `hls.js gave up; it fetched ${JSON.stringify(outcome.fetched)}`);
  assert.ok(outcome.currentTime >= seconds, `played only to ${outcome.currentTime} s`);
}

test("with KINO_CORS_ORIGINS=*, copies a CDN stored for a player without Origin play in a browser on another origin", async () => {
  const edge = await originBehindCdn();
  try {
    await fetchEverythingWithoutOrigin(edge);
    const outcome = await playWithHlsJs(browser, player.url, `${edge.cdn.url}${pathOf("master.m3u8")}`, 1);
    assertPlayed(outcome, 1);
    const hits = new Set(outcome.fetched.filter((f) => f.cacheStatus === "HIT").map((f) => new URL(f.url).pathname));
    for (const file of ["master.m3u8", "180p/index.m3u8", "180p/init.mp4", "180p/seg_00000.m4s"]) {
      assert.ok(hits.has(pathOf(file)), `${file} came from the cache: ${JSON.stringify(outcome.fetched)}`);
    }
    assert.ok(outcome.fetched.every((f) => f.allowOrigin === "*"));
  } finally {
    await edge.close();
  }
});

test("with an allow-list, every answer varies on Origin, so the CDN keeps one copy per origin", async () => {
  const allowedA = "https://a.example";
  const allowedB = "https://b.example";
  const edge = await originBehindCdn(`${allowedA},${allowedB}`);
  try {
    for (const file of ["master.m3u8", "180p/seg_00001.m4s"]) {
      const get = (origin?: string) => rawRequest(edge.port, pathOf(file), { headers: origin ? { origin } : {} });
      const expectations: [string | undefined, string, string | undefined][] = [
        [undefined, "MISS", undefined],
        [allowedA, "MISS", allowedA],
        [allowedB, "MISS", allowedB],
        [allowedA, "HIT", allowedA],
        [allowedB, "HIT", allowedB],
        [undefined, "HIT", undefined],
        ["https://elsewhere.example", "MISS", undefined],
      ];
      for (const [origin, cacheStatus, allowOrigin] of expectations) {
        const res = await get(origin);
        const what = `${file} for Origin ${origin ?? "(none)"}`;
        assert.equal(res.status, 200, what);
        assert.match(String(res.headers.vary), /\bOrigin\b/i, what);
        assert.equal(res.headers[CACHE_STATUS_HEADER], cacheStatus, what);
        assert.equal(res.headers["access-control-allow-origin"], allowOrigin, what);
      }
    }
  } finally {
    await edge.close();
  }
});

test("with an allow-list naming the player's site, a browser plays after a non-browser filled the CDN, then from the CDN's copy for that site", async () => {
  const edge = await originBehindCdn(`https://other.example,${player.url}`);
  try {
    await fetchEverythingWithoutOrigin(edge);
    const src = `${edge.cdn.url}${pathOf("master.m3u8")}`;
    const first = await playWithHlsJs(browser, player.url, src, 1);
    assertPlayed(first, 1);
    const second = await playWithHlsJs(browser, player.url, src, 1);
    assertPlayed(second, 1);
    const master = second.fetched.find((f) => new URL(f.url).pathname === pathOf("master.m3u8"));
    assert.equal(master?.cacheStatus, "HIT", "the second view is served the copy stored for the player's site");
    assert.ok([...first.fetched, ...second.fetched].every((f) => f.allowOrigin === player.url));
  } finally {
    await edge.close();
  }
});
