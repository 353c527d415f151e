import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, ffmpeg, ffprobeJson, type TempDir } from "@kino/testkit";
import { audioTreatments, encodeRungs, planPublication, remuxPassthrough, renderMasterPlaylist, type PublicationPlan } from "../src/index.ts";

describe("the audio group beside a passthrough rung", () => {
  let dir: TempDir;
  let source: string;
  let publication: PublicationPlan;
  before(async () => {
    dir = await createTempDir("kino-audio-group-");
    source = join(dir.path, "two-tracks.mkv");
    // A standard picture with an AAC track whose tags are hostile, and an Opus commentary.
    await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=4"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000:duration=4"],
      ...["-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a:0", "aac", "-ac:a:0", "1", "-c:a:1", "libopus"],
      ...["-metadata:s:a:0", 'language=de"x', "-metadata:s:a:0", 'title=Dub "1"', "-metadata:s:a:1", "language=spa", "-metadata:s:a:1", "title=Kommentar", source],
    ]);
    publication = await planPublication(source);
  });
  after(() => dir.remove());

  it("plans a track per stream: a malformed language is und, a title with quotes is not used, the first flagged default is the default", () => {
    assert.deepEqual(
      publication.plan.audio.map((a) => [a.name, a.language, a.label, a.isDefault]),
      [
        ["und", "und", "Audio 1", true],
        ["spa", "spa", "Kommentar", false],
      ],
    );
    assert.equal(publication.passthrough.ok, true);
  });

  it("remuxes the picture alone, copies the AAC track and encodes the Opus one to AAC, each in its own folder", async () => {
    assert.ok(publication.passthrough.ok);
    const outDir = join(dir.path, "out");
    const remuxed = await remuxPassthrough({ input: source, probe: publication.probe, tracks: publication.plan.audio, audio: publication.passthrough.audio, outDir, segmentSeconds: 2, scan: publication.scan });
    assert.deepEqual(
      remuxed.audio.map((a) => [a.playlist, a.rendition.codecs, a.rendition.channels, a.rendition.sampleRate]),
      [
        ["audio/und/index.m3u8", "mp4a.40.2", 1, 44_100],
        ["audio/spa/index.m3u8", "mp4a.40.2", 2, 48_000],
      ],
    );
    const kinds = async (file: string) => (await ffprobeJson(join(outDir, file), ["-show_streams"])).streams.map((s: { codec_type: string; codec_name: string; sample_rate: string }) => [s.codec_type, s.codec_name, s.sample_rate]);
    assert.deepEqual(await kinds("source/init.mp4"), [["video", "h264", undefined]]);
    assert.deepEqual(await kinds("audio/und/init.mp4"), [["audio", "aac", "44100"]]);
    assert.deepEqual(await kinds("audio/spa/init.mp4"), [["audio", "aac", "48000"]]);
    assert.equal(remuxed.rendition.codecs.split(",").length, 2, `video codec then the group's one audio codec: ${remuxed.rendition.codecs}`);
    const master = renderMasterPlaylist([remuxed.rendition], remuxed.audio.map((a) => a.rendition));
    assert.match(master, /#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio 1",LANGUAGE="und",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="1",URI="audio\/und\/index.m3u8"\n/);
    assert.match(master, /#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Kommentar",LANGUAGE="spa",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio\/spa\/index.m3u8"\n/);
    assert.match(master, /,AUDIO="aud"\nsource\/index.m3u8\n$/);
  });
});

describe("the audio group made alone beside a non-standard picture's fast rung", () => {
  let dir: TempDir;
  let source: string;
  let publication: PublicationPlan;
  before(async () => {
    dir = await createTempDir("kino-audio-alone-");
    source = join(dir.path, "ten-bit.mkv");
    // 10-bit 4:2:0, which no browser decodes: encoded, never remuxed; one AAC track, one Opus.
    await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=4"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000:duration=4"],
      ...["-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p10le", "-profile:v", "high10", "-c:a:0", "aac", "-c:a:1", "libopus", source],
    ]);
    publication = await planPublication(source, { ladder: { rungs: [{ shortSide: 180, videoBitrate: 300_000 }, { shortSide: 90, videoBitrate: 100_000 }] } });
  });
  after(() => dir.remove());

  it("copies the AAC track, encodes the Opus one, and the rung names the group's codec and plays in sync with it", async () => {
    assert.equal(publication.passthrough.ok, false);
    const outDir = join(dir.path, "out");
    const lowest = publication.plan.rungs.at(-1)!;
    const encoded = await encodeRungs({ input: source, plan: publication.plan, rungs: [lowest], audio: { alone: audioTreatments(publication.probe) }, outDir, preset: "ultrafast", segmentSeconds: 2, durationSeconds: publication.probe.durationSeconds });
    assert.deepEqual(
      encoded.audio.map((a) => [a.playlist, a.rendition.codecs, a.rendition.sampleRate]),
      [
        ["audio/und/index.m3u8", "mp4a.40.2", 44_100],
        ["audio/und-2/index.m3u8", "mp4a.40.2", 48_000],
      ],
    );
    const [rung] = encoded.rungs;
    assert.equal(rung!.rendition.codecs.split(",").length, 2, `video codec then the group's audio codec: ${rung!.rendition.codecs}`);
    const seconds = (durations: readonly number[]) => durations.reduce((sum, d) => sum + d, 0);
    for (const track of encoded.audio) {
      // An AAC frame of priming and padding at most beside the picture's four seconds.
      assert.ok(Math.abs(seconds(track.segmentDurations) - seconds(rung!.segmentDurations)) < 0.05, `${track.playlist}: ${track.segmentDurations.join(",")} against ${rung!.segmentDurations.join(",")}`);
    }
    assert.deepEqual((await ffprobeJson(join(outDir, "audio/und/init.mp4"), ["-show_streams"])).streams.map((s: { codec_name: string }) => s.codec_name), ["aac"]);
  });

  it("a failing audio process fails the encode, and nothing writes into the output once it has", async () => {
    const outDir = join(dir.path, "broken");
    const plan = { ...publication.plan, audio: publication.plan.audio.map((a) => ({ ...a, streamIndex: 9 })) };
    await assert.rejects(
      encodeRungs({ input: source, plan, rungs: [plan.rungs.at(-1)!], audio: { alone: audioTreatments(publication.probe) }, outDir, preset: "ultrafast", segmentSeconds: 2, durationSeconds: publication.probe.durationSeconds }),
      /ffmpeg/i,
    );
    const files = async () => (await readdir(outDir, { recursive: true })).sort();
    const settled = await files();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await files(), settled);
  });
});
