import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { launchChromium } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { MPD_NAME, readHlsTrack, renderMpd } from "../src/index.ts";
import { makeCmafPackage } from "./support/cmaf-package.ts";

const require = createRequire(import.meta.url);
const players = {
  shaka: require.resolve("shaka-player/dist/shaka-player.compiled.js"),
  // The "require" condition of dashjs's exports is its UMD build, which sets window.dashjs.
  dashjs: require.resolve("dashjs"),
};

const page = (script: string, start: string) => `<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="/${script}.js"></script>
<script>
window.errors = [];
const video = document.getElementById("v");
${start}
</script></body></html>`;

const pages: Record<string, string> = {
  "shaka.html": page(
    "shaka",
    `shaka.polyfill.installAll();
const player = new shaka.Player();
player.addEventListener("error", (e) => window.errors.push(String(e.detail && e.detail.code)));
player.attach(video).then(() => player.load("/${MPD_NAME}")).then(() => video.play()).catch((e) => window.errors.push(String(e.code || e)));`,
  ),
  "dashjs.html": page(
    "dashjs",
    `const player = dashjs.MediaPlayer().create();
player.on(dashjs.MediaPlayer.events.ERROR, (e) => window.errors.push(JSON.stringify(e.error)));
player.initialize(video, "/${MPD_NAME}", true);`,
  ),
};

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
const requested: string[] = [];
let hlsFiles: Set<string>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kino-dash-players-"));
  const pkg = await makeCmafPackage(dir, 12);
  const video = await Promise.all(pkg.video.map((r) => readHlsTrack(dir, r.playlist)));
  const audio = await readHlsTrack(dir, pkg.audio.playlist);
  hlsFiles = new Set([...video, audio].flatMap((t) => [t.initUri, ...t.segmentUris]));
  const sizes = [
    [640, 360, 600_000],
    [320, 180, 200_000],
  ] as const;
  const mpd = renderMpd({
    durationSeconds: 12,
    video: video.map((t, i) => ({ id: pkg.video[i]!.name, bandwidth: sizes[i]![2], codecs: "avc1.4d401e", width: sizes[i]![0], height: sizes[i]![1], frameRate: 24, initUri: t.initUri, segmentUris: t.segmentUris, timescale: t.init.timescale, segments: t.segments })),
    audio: [{ language: "en", label: "English", isDefault: true, representations: [{ id: "audio", bandwidth: 96_000, codecs: "mp4a.40.2", audioSamplingRate: 48_000, channels: 2, initUri: audio.initUri, segmentUris: audio.segmentUris, timescale: audio.init.timescale, segments: audio.segments }] }],
  });
  await writeFile(join(dir, MPD_NAME), mpd);
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const file = path in pages ? undefined : path === "shaka.js" ? players.shaka : path === "dashjs.js" ? players.dashjs : normalize(join(dir, path));
    if (path in pages) {
      res.writeHead(200, { "content-type": "text/html" }).end(pages[path]);
      return;
    }
    if (!file || (!file.startsWith(dir) && !Object.values(players).includes(file))) return void res.writeHead(404).end();
    try {
      const info = await stat(file);
      requested.push(path);
      const type = path.endsWith(".mpd") ? "application/dash+xml" : path.endsWith(".js") ? "text/javascript" : path.endsWith(".mp4") || path.endsWith(".m4s") ? "video/mp4" : "application/octet-stream";
      res.writeHead(200, { "content-type": type, "content-length": info.size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

for (const player of ["shaka", "dashjs"] as const) {
  test(`${player} plays the MPD past 3 s with no error, fetching only files the HLS playlists list`, async () => {
    requested.length = 0;
    const tab = await browser.newPage();
    const pageErrors: string[] = [];
    tab.on("pageerror", (error) => pageErrors.push(error.message));
    try {
      await tab.goto(`${origin}/${player}.html`);
      await tab.waitForFunction(() => (document.getElementById("v") as HTMLVideoElement).currentTime > 3 || (window as unknown as { errors: string[] }).errors.length > 0, undefined, { timeout: 60_000 });
      const errors = await tab.evaluate(() => (window as unknown as { errors: string[] }).errors);
      assert.deepEqual([...errors, ...pageErrors], [], `${player} reported errors`);
      const media = requested.filter((p) => p.endsWith(".mp4") || p.endsWith(".m4s"));
      assert.ok(media.some((p) => p.startsWith("audio/")) && media.some((p) => !p.startsWith("audio/")), `fetched audio and video: ${media.join(", ")}`);
      assert.deepEqual(media.filter((p) => !hlsFiles.has(p)), [], "every media file fetched is one the HLS playlists name");
    } finally {
      await tab.close();
    }
  });
}
