import assert from "node:assert/strict";
import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { inspectSource, probeSource, UnplayableSourceError } from "../src/index.ts";
import { ffmpeg, makeClip } from "@kino/testkit";

describe("inspectSource", () => {
  let dir: TempDir;
  let clip: string;

  before(async () => {
    dir = await createTempDir("kino-probe-");
    clip = await makeClip(join(dir.path, "clip.mp4"), { width: 320, height: 180, rate: 25, seconds: 2 });
  });
  after(() => dir.remove());

  async function reasonFor(path: string): Promise<string> {
    const verdict = await inspectSource(path);
    assert.equal(verdict.ok, false, `${path} should be rejected`);
    return verdict.ok ? "" : verdict.reason;
  }

  it("accepts a real clip with its size, frame rate, duration and audio", async () => {
    const verdict = await inspectSource(clip);
    assert.ok(verdict.ok);
    const { probe } = verdict;
    assert.equal(probe.video.codec, "h264");
    assert.deepEqual([probe.video.width, probe.video.height, probe.video.displayWidth, probe.video.displayHeight], [320, 180, 320, 180]);
    assert.equal(probe.video.frameRate, 25);
    assert.equal(probe.video.rotation, 0);
    assert.equal(probe.video.interlaced, false);
    assert.ok(Math.abs(probe.durationSeconds - 2) < 0.1, `duration ${probe.durationSeconds}`);
    assert.equal(probe.audio?.codec, "aac");
    assert.equal(probe.audio?.channels, 1);
    assert.equal(probe.audio?.sampleRate, 44_100);
    assert.ok(probe.sizeBytes > 0);
  });

  it("reports display dimensions of a rotated phone clip", async () => {
    const rotated = join(dir.path, "rotated.mp4");
    await ffmpeg(["-i", clip, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated]);
    const probe = await probeSource(rotated);
    assert.equal(probe.video.rotation % 180, 90);
    assert.deepEqual([probe.video.displayWidth, probe.video.displayHeight], [180, 320]);
  });

  it("flags interlaced video so the ladder deinterlaces it", async () => {
    const interlaced = join(dir.path, "interlaced.mp4");
    await ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme", "-x264-params", "tff=1", interlaced]);
    assert.equal((await probeSource(interlaced)).video.interlaced, true);
  });

  it("rejects an empty file", async () => {
    const empty = join(dir.path, "empty.mp4");
    await writeFile(empty, "");
    assert.equal(await reasonFor(empty), "file is empty");
  });

  it("rejects a text file named .mp4 as not a video", async () => {
    const text = join(dir.path, "notes.mp4");
    await writeFile(text, "these are my holiday notes, not a video\n");
    assert.equal(await reasonFor(text), "not a video file");
  });

  it("rejects an MP4 cut in half, naming the truncation", async () => {
    const whole = await readFile(clip);
    const truncated = join(dir.path, "truncated.mp4");
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const verdict = await inspectSource(truncated);
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok && verdict.rejection === "truncated");
    assert.match(verdict.ok ? "" : verdict.reason, /truncated/);
  });

  it("refuses playlist formats that would make ffmpeg read other files", async () => {
    // An "upload" that is an HLS playlist naming a file elsewhere on the host, e.g. another user's source.
    const playlist = join(dir.path, "source");
    await writeFile(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile://${clip}\n#EXT-X-ENDLIST\n`);
    assert.equal(await reasonFor(playlist), "not a video file");
    const concat = join(dir.path, "list.ffconcat");
    await writeFile(concat, `ffconcat version 1.0\nfile ${clip}\n`);
    assert.equal(await reasonFor(concat), "not a video file");
  });

  it("rejects audio-only files", async () => {
    const audio = join(dir.path, "song.m4a");
    await ffmpeg(["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", audio]);
    assert.match(await reasonFor(audio), /^no video stream/);
  });

  it("rejects still images", async () => {
    const png = join(dir.path, "photo.png");
    await ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", png]);
    assert.equal(await reasonFor(png), "a still image is not a video");
  });

  it("rejects a video whose codec ffmpeg cannot decode, naming it", async () => {
    const data = Buffer.from(await readFile(clip));
    // Rename the sample entry's codec (avc1) inside stsd to a fourcc no decoder knows.
    const entry = data.indexOf("avc1", data.indexOf("stsd", 0, "latin1"), "latin1");
    data.write("zzz1", entry, "latin1");
    const unknown = join(dir.path, "unknown-codec.mp4");
    await writeFile(unknown, data);
    assert.equal(await reasonFor(unknown), "unsupported codec zzz1");
  });

  it("probeSource throws UnplayableSourceError carrying the reason", async () => {
    const empty = join(dir.path, "empty-again.mp4");
    await (await open(empty, "w")).close();
    await assert.rejects(probeSource(empty), (error: unknown) => {
      assert.ok(error instanceof UnplayableSourceError);
      assert.equal(error.code, "invalid_argument");
      assert.equal(error.rejection, "empty");
      assert.equal(error.reason, "file is empty");
      return true;
    });
  });
});
