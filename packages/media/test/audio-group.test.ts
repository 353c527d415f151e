import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, ffmpeg, ffprobeJson, type TempDir } from "@kino/testkit";
import { planPublication, remuxPassthrough, renderMasterPlaylist, type PublicationPlan } from "../src/index.ts";

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
