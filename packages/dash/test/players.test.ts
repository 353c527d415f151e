import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { link, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { launchChromium } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { MPD_NAME, readHlsTrack, renderMpd } from "../src/index.ts";
import { makeCmafPackage } from "./support/cmaf-package.ts";
import { DASH_PLAYERS, playDash, startDashPlayerPages, type DashPlayerPages } from "./support/dash-players.ts";

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
let pages: DashPlayerPages;
let hlsFiles: Set<string>;
let listMpd: string;

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
  // The same package with each video rung's segments under names of no one pattern (as a chunked video's
  // carry their range attempt's id), which the MPD can only list.
  const listed = await Promise.all(
    video.map(async (t) => {
      const uris = t.segmentUris.map((uri, i) => uri.replace(/\.m4s$/, `_${i % 2 === 0 ? "a1b2c3d4" : "e5f6g7h8"}.m4s`));
      for (const [i, uri] of uris.entries()) await link(join(dir, t.segmentUris[i]!), join(dir, uri));
      uris.forEach((u) => hlsFiles.add(u));
      return uris;
    }),
  );
  listMpd = renderMpd({
    durationSeconds: 12,
    video: video.map((t, i) => ({ id: pkg.video[i]!.name, bandwidth: sizes[i]![2], codecs: "avc1.4d401e", width: sizes[i]![0], height: sizes[i]![1], frameRate: 24, initUri: t.initUri, segmentUris: listed[i]!, timescale: t.init.timescale, segments: t.segments })),
    audio: [{ language: "en", label: "English", isDefault: true, representations: [{ id: "audio", bandwidth: 96_000, codecs: "mp4a.40.2", audioSamplingRate: 48_000, channels: 2, initUri: audio.initUri, segmentUris: audio.segmentUris, timescale: audio.init.timescale, segments: audio.segments }] }],
  });
  await writeFile(join(dir, "listed.mpd"), listMpd);
  // The package's files, cross-origin to the player pages as a CDN's would be.
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return void res.writeHead(404).end();
    try {
      const info = await stat(file);
      const type = path.endsWith(".mpd") ? "application/dash+xml" : path.endsWith(".mp4") || path.endsWith(".m4s") ? "video/mp4" : "application/octet-stream";
      res.writeHead(200, { "content-type": type, "content-length": info.size, "access-control-allow-origin": "*" });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pages = await startDashPlayerPages();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

test("segments whose names follow no pattern are listed (SegmentList), each by its own name", () => {
  assert.match(listMpd, /<SegmentList timescale="\d+">/);
  assert.match(listMpd, /<SegmentURL media="360p\/seg_00001_e5f6g7h8\.m4s"\/>/);
  // The audio's names follow one pattern: a template still.
  assert.match(listMpd, /<SegmentTemplate [^>]*media="audio\/[^"]*\$Number%05d\$\.m4s"/);
});

for (const [player, manifest] of DASH_PLAYERS.flatMap((p) => [[p, MPD_NAME], [p, "listed.mpd"]] as const)) {
  test(`${player} plays ${manifest} past 3 s with no error, fetching only files the HLS playlists list`, async () => {
    const played = await playDash(browser, pages, player, `${origin}/${manifest}`, 3);
    assert.deepEqual(played.errors, [], `${player} reported errors`);
    assert.ok(played.currentTime > 3, `${player} played ${played.currentTime} s`);
    const media = played.fetched.map((url) => new URL(url).pathname.slice(1)).filter((p) => p.endsWith(".mp4") || p.endsWith(".m4s"));
    assert.ok(media.some((p) => p.startsWith("audio/")) && media.some((p) => !p.startsWith("audio/")), `fetched audio and video: ${media.join(", ")}`);
    assert.deepEqual(media.filter((p) => !hlsFiles.has(p)), [], "every media file fetched is one the HLS playlists name");
  });
}
