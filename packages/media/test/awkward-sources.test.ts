import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { AWKWARD_SOURCES, createTempDir, ffprobeJson, type TempDir } from "@kino/testkit";
import { parseMediaPlaylist, posterSeekSeconds, probeSource, transcodeToHls } from "../src/index.ts";

const execFileAsync = promisify(execFile);

// Sources a seek cannot find a frame in: a TS whose only keyframe is its first, a stream with no timestamps.
const POSTER_FROM_FIRST_FRAME = new Set(["broadcast-h264.ts", "raw.h264"]);
// What every browser's H.264 decoder takes: 8-bit 4:2:0 in these profiles.
const PLAYABLE_PROFILES = new Set(["Constrained Baseline", "Main", "High"]);

/** init.mp4 + every segment, concatenated: what a player feeds its decoder. */
async function joinRendition(outDir: string, rung: string, target: string): Promise<string> {
  const playlist = parseMediaPlaylist(await readFile(join(outDir, rung, "index.m3u8"), "utf8"));
  const parts = await Promise.all([playlist.mapUri!, ...playlist.segments.map((s) => s.uri)].map((uri) => readFile(join(outDir, rung, uri))));
  await writeFile(target, Buffer.concat(parts));
  return target;
}

describe("transcodeToHls on sources real uploads look like", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-awkward-");
  });
  after(() => dir.remove());

  for (const source of AWKWARD_SOURCES) {
    it(`${source.name}: plays as 8-bit 4:2:0 progressive H.264 at an even size, with a poster and its duration`, async () => {
      const input = await source.make(join(dir.path, source.file));
      const outDir = join(dir.path, `${source.file}.out`);
      const result = await transcodeToHls({ sourcePath: input, workDir: outDir, videoId: source.file, preset: "ultrafast", segmentSeconds: 2 });

      const top = result.renditions[0]!;
      assert.deepEqual([top.width, top.height], [source.display.width, source.display.height]);
      assert.ok(Math.abs(result.durationSeconds - source.seconds) < 0.1, `duration ${result.durationSeconds}, expected ${source.seconds}`);
      for (const rendition of result.renditions) {
        assert.ok(rendition.width % 2 === 0 && rendition.height % 2 === 0, `${rendition.width}x${rendition.height} is even`);
        const joined = await joinRendition(outDir, rendition.name, join(dir.path, `${source.file}-${rendition.name}.mp4`));
        // A decode that complains about nothing, start to end.
        const { stderr } = await execFileAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", joined, "-f", "null", "-"]);
        assert.equal(stderr, "", `${rendition.name} decodes cleanly`);
        const { streams } = await ffprobeJson(joined, ["-count_frames", "-show_streams"]);
        const video = streams.find((s: { codec_type: string }) => s.codec_type === "video");
        assert.equal(video.pix_fmt, "yuv420p");
        assert.ok(PLAYABLE_PROFILES.has(video.profile), `profile ${video.profile}`);
        assert.ok(video.field_order === undefined || video.field_order === "progressive", `field order ${video.field_order}`);
        assert.deepEqual([video.width, video.height], [rendition.width, rendition.height]);
        assert.ok(Number(video.nb_read_frames) > 0);
        assert.ok(!streams.some((s: { codec_type: string }) => s.codec_type === "audio"), `${rendition.name} is video only`);
      }
      // The source's sound, once, beside the rungs.
      assert.deepEqual(result.audio.length, result.probe.audioTracks.length);
      for (const track of result.audio) {
        const joined = await joinRendition(outDir, `audio/${track.name}`, join(dir.path, `${source.file}-audio-${track.name}.mp4`));
        const { stderr } = await execFileAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", joined, "-f", "null", "-"]);
        assert.equal(stderr, "", `audio ${track.name} decodes cleanly`);
      }

      assert.deepEqual(result.auxiliary.map((r) => ("file" in r ? r.file : r.warning)), ["poster.jpg"]);
      const [poster] = result.auxiliary;
      assert.ok(poster && "madeBy" in poster);
      assert.equal(poster.madeBy === "first frame", POSTER_FROM_FIRST_FRAME.has(source.file), `poster made by ${poster.madeBy}`);
      const { streams } = await ffprobeJson(join(outDir, "poster.jpg"));
      assert.deepEqual([streams[0].codec_name, streams[0].width, streams[0].height], ["mjpeg", top.width, top.height]);
    });
  }

  it("seeks for the poster within the picture, counted from the file's first timestamp", async () => {
    const late = AWKWARD_SOURCES.find((s) => s.file === "late-picture.mp4")!;
    const short = AWKWARD_SOURCES.find((s) => s.file === "short-picture.mp4")!;
    const lateVideo = (await probeSource(await late.make(join(dir.path, "seek-late.mp4")))).video;
    assert.ok(Math.abs(lateVideo.offsetSeconds - 0.8) < 0.01, `picture offset ${lateVideo.offsetSeconds}`);
    assert.ok(Math.abs(posterSeekSeconds(lateVideo) - 1.8) < 0.01, "1 s into the picture, which starts 0.8 s into the file");
    const shortVideo = (await probeSource(await short.make(join(dir.path, "seek-short.mp4")))).video;
    assert.ok(Math.abs(posterSeekSeconds(shortVideo) - 0.5) < 0.01, "half of a 1 s picture, not 1 s of a 3 s file");
  });
});
