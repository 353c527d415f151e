import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BoxError, readHlsTrack, readInit, readSegmentTime, renderMpd, segmentTemplateFor, shiftSegment, withSubtitleSets } from "../src/index.ts";
import { makeCmafPackage } from "./support/cmaf-package.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kino-dash-timing-"));
  await makeCmafPackage(dir, 7);
});
after(() => rm(dir, { recursive: true, force: true }));

test("segments are timed from their boxes: contiguous, and they add up to the media's length", async () => {
  const video = await readHlsTrack(dir, "360p/index.m3u8");
  assert.equal(video.init.kind, "video");
  assert.equal(video.initUri, "360p/init.mp4");
  assert.deepEqual(video.segmentUris.slice(0, 2), ["360p/seg_00000.m4s", "360p/seg_00001.m4s"]);
  const { timescale } = video.init;
  video.segments.forEach((s, i) => {
    if (i > 0) assert.equal(s.start, video.segments[i - 1]!.start + video.segments[i - 1]!.duration, `segment ${i} starts where the previous ends`);
  });
  const total = video.segments.reduce((sum, s) => sum + s.duration, 0) / timescale;
  assert.ok(Math.abs(total - 7) <= 1 / 24, `video lasts ${total} s`);
  assert.ok(video.segments.slice(0, -1).every((s) => Math.abs(s.duration / timescale - 2) < 1e-6), "2 s keyframe segments");
  const audio = await readHlsTrack(dir, "audio/index.m3u8");
  assert.equal(audio.init.kind, "audio");
  assert.equal(audio.init.timescale, 48000);
  const audioTotal = audio.segments.reduce((sum, s) => sum + s.duration, 0) / 48000;
  assert.ok(Math.abs(audioTotal - 7) < 0.05, `audio lasts ${audioTotal} s`);
});

test("rungs encoded with the same keyframes get the same timeline", async () => {
  const [high, low] = await Promise.all([readHlsTrack(dir, "360p/index.m3u8"), readHlsTrack(dir, "180p/index.m3u8")]);
  assert.deepEqual(high.segments, low.segments);
  const mpd = renderMpd({
    durationSeconds: 7,
    video: [high, low].map((t, i) => ({ id: `v${i}`, bandwidth: 1000, codecs: "avc1.4d401e", initUri: t.initUri, segmentUris: t.segmentUris, timescale: t.init.timescale, segments: t.segments })),
    audio: [],
  });
  // Three 2 s segments then the 1 s tail: one run with repeats, one with the tail.
  assert.match(mpd, /<SegmentTimeline><S t="0" d="\d+" r="2"\/><S d="\d+"\/><\/SegmentTimeline>/);
});

test("subtitle sets added to a stored MPD come last in its period, numbered after its sets, with text escaped", async () => {
  const track = await readHlsTrack(dir, "360p/index.m3u8");
  const stored = renderMpd({
    durationSeconds: 7,
    video: [{ id: "v", bandwidth: 1000, codecs: "avc1.4d401e", initUri: track.initUri, segmentUris: track.segmentUris, timescale: track.init.timescale, segments: track.segments }],
    audio: [{ language: "en", label: "English", isDefault: true, representations: [] }],
  });
  assert.equal(withSubtitleSets(stored, []), stored);
  const served = withSubtitleSets(stored, [
    { language: "fr", label: "Français <CC>", uri: "captions/fr.vtt" },
    { language: "pt-BR", label: "", uri: "captions/pt-BR.vtt" },
  ]);
  const ids = [...served.matchAll(/<AdaptationSet\b[^>]*\bid="(\d+)"[^>]*\bcontentType="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(ids, ["0:video", "1:audio", "2:text", "3:text"]);
  assert.ok(served.includes("<Label>Français &lt;CC&gt;</Label>"), served);
  assert.ok(served.indexOf("captions/pt-BR.vtt") < served.indexOf("</Period>"), served);
  assert.ok(served.startsWith(stored.slice(0, stored.indexOf("  </Period>"))), "the stored sets are kept as they were");
  assert.throws(() => withSubtitleSets("<MPD/>", [{ language: "en", label: "", uri: "captions/en.vtt" }]), /period end/);
});

test("damaged files fail with a reason, never by reading past the buffer", async () => {
  const init = await readFile(join(dir, "360p", "init.mp4"));
  const segment = await readFile(join(dir, "360p", "seg_00000.m4s"));
  const info = readInit(init);
  assert.throws(() => readSegmentTime(segment.subarray(0, 40), info), BoxError);
  assert.throws(() => readInit(init.subarray(0, init.length - 30)), BoxError);
  const hostile = Buffer.from(segment);
  hostile.writeUInt32BE(0xfffffff0, 0);
  assert.throws(() => readSegmentTime(hostile, info), /claims/);
  assert.throws(() => readSegmentTime(init, info), /no fragment of its track/);
});

test("the media template names exactly the playlist's files, or none is made", () => {
  assert.deepEqual(segmentTemplateFor(["a/seg_00001.m4s", "a/seg_00002.m4s"]), { media: "a/seg_$Number%05d$.m4s", startNumber: 1 });
  assert.deepEqual(segmentTemplateFor(["9.m4s", "10.m4s"]), { media: "$Number$.m4s", startNumber: 9 });
  assert.throws(() => segmentTemplateFor(["a/seg_1.m4s", "a/seg_3.m4s"]), /one numbered pattern/);
  assert.throws(() => segmentTemplateFor(["a/x.m4s"]), /end in a number/);
});

test("a shifted segment starts later on the timeline by exactly the ticks given and keeps its samples; the original is untouched", async () => {
  const init = readInit(await readFile(join(dir, "360p/init.mp4")));
  const original = await readFile(join(dir, "360p/seg_00001.m4s"));
  const before = readSegmentTime(original, init);
  const ticks = 12 * init.timescale;
  const shifted = shiftSegment(original, ticks, 6);
  assert.deepEqual(readSegmentTime(shifted, init), { start: before.start + ticks, duration: before.duration });
  assert.equal(shifted.length, original.length);
  assert.deepEqual(readSegmentTime(original, init), before, "the input is left as it was");
  // Only the decode time and the fragment's sequence number differ.
  const differing = [...shifted].flatMap((byte, i) => (byte === original[i] ? [] : [i]));
  assert.ok(differing.length > 0 && differing.length <= 12, `${differing.length} bytes differ`);
  assert.throws(() => shiftSegment(original, -1, 0), /non-negative integer/);
  assert.throws(() => shiftSegment(Buffer.from("not a segment at all"), 0, 0), BoxError);
});
