import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createTempDir, type TempDir } from "@kino/testkit";
import { parseMediaPlaylist, planPassthroughSegments, planPublication, startPassthroughRemux } from "../src/index.ts";

const run = promisify(execFile);
let dir: TempDir;
let irregular: string;

before(async () => {
  dir = await createTempDir("kino-passthrough-segments-");
  irregular = join(dir.path, "irregular.mp4");
  // Keyframes 5, 4, 8, 1 and 2 s apart: a 4 s target cuts late, then catches up.
  await run("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=20"],
    ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=20"],
    ...["-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-x264-params", "keyint=1000:scenecut=0", "-force_key_frames", "0,5,9,17,18", "-pix_fmt", "yuv420p", "-c:a", "aac", irregular],
  ]);
});
after(() => dir.remove());

describe("passthrough segments", () => {
  test("are planned where ffmpeg's HLS muxer cuts the same stream copy", async () => {
    const { probe, scan } = await planPublication(irregular);
    const planned = planPassthroughSegments(scan, scan.lastFrameSeconds + 1 / 30, 4);
    const out = join(dir.path, "hls");
    await mkdir(out);
    await run("ffmpeg", ["-v", "error", "-i", irregular, "-map", `0:${probe.video.index}`, "-c", "copy", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_segment_filename", join(out, "s_%03d.m4s"), join(out, "i.m3u8")]);
    const ffmpegs = parseMediaPlaylist(await readFile(join(out, "i.m3u8"), "utf8")).segments.map((s) => s.durationSeconds);
    assert.equal(planned.length, ffmpegs.length, `${planned.map((s) => s.durationSeconds)} vs ${ffmpegs}`);
    planned.forEach((s, i) => assert.ok(Math.abs(s.durationSeconds - ffmpegs[i]!) < 0.002, `segment ${i}: ${s.durationSeconds} vs ${ffmpegs[i]}`));
    assert.deepEqual(planned.map((s) => s.gops), [1, 1, 1, 1, 1]);
  });

  test("the remux writes what the plan says, each file reported once whole; a stream that fragments otherwise fails", async () => {
    const publication = await planPublication(irregular);
    assert.ok(publication.passthrough.ok);
    const outDir = join(dir.path, "remux");
    await mkdir(outDir);
    const remux = await startPassthroughRemux({ input: irregular, probe: publication.probe, tracks: publication.plan.audio, audio: publication.passthrough.audio, outDir, segmentSeconds: 4, scan: publication.scan });
    const playlist = parseMediaPlaylist(await readFile(join(outDir, "source", "index.m3u8"), "utf8"));
    assert.deepEqual(playlist.segments.map((s) => Number(s.durationSeconds.toFixed(3))), [5, 4, 8, 1, 2], "listed before a segment is written");
    for (const file of remux.rendition.files) await remux.written(file);
    await remux.done;
    assert.deepEqual((await readdir(join(outDir, "source"))).sort(), ["index.m3u8", "init.mp4", "seg_00000.m4s", "seg_00001.m4s", "seg_00002.m4s", "seg_00003.m4s", "seg_00004.m4s"]);
    const joined = join(dir.path, "joined.mp4");
    const parts = await Promise.all(remux.rendition.files.slice(1).map((f) => readFile(join(outDir, f))));
    await writeFile(joined, Buffer.concat(parts));
    const { stdout } = await run("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", joined]);
    assert.equal(Number(stdout.trim()), 600, "every frame of the 20 s source, decoded from init + segments");

    const wrong = { ...publication.scan, gops: publication.scan.gops.map((g, i) => (i === 2 ? { ...g, frames: g.frames + 1 } : g)) };
    const badDir = join(dir.path, "bad");
    await mkdir(badDir);
    const bad = await startPassthroughRemux({ input: irregular, probe: publication.probe, tracks: [], audio: [], outDir: badDir, segmentSeconds: 4, scan: wrong });
    await assert.rejects(bad.done, /fragment 2 holds \d+ samples where the keyframe scan counted \d+/);
    await assert.rejects(bad.written("source/seg_00004.m4s"));
  });
});
