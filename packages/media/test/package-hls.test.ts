import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { parseMediaPlaylist, transcodeToHls, type FfmpegProgress, type HlsPackage } from "../src/index.ts";
import { ffmpeg, ffprobeJson, makeClip } from "@kino/testkit";

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

function streamInfAttributes(master: string): Map<string, Record<string, string>> {
  const lines = master.trim().split("\n");
  const byUri = new Map<string, Record<string, string>>();
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const attributes: Record<string, string> = {};
    for (const match of line.slice("#EXT-X-STREAM-INF:".length).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)) attributes[match[1]!] = match[2]!.replace(/"/g, "");
    byUri.set(lines[i + 1]!, attributes);
  });
  return byUri;
}

/** init.mp4 + every segment, concatenated: what a player feeds its decoder. */
async function joinRendition(outDir: string, rung: string, target: string): Promise<string> {
  const playlist = parseMediaPlaylist(await readFile(join(outDir, rung, "index.m3u8"), "utf8"));
  const parts = await Promise.all([playlist.mapUri!, ...playlist.segments.map((s) => s.uri)].map((uri) => readFile(join(outDir, rung, uri))));
  await writeFile(target, Buffer.concat(parts));
  return target;
}

// profile_idc of the H.264 profiles ffprobe names.
const PROFILE_IDC: Record<string, number> = { "Constrained Baseline": 0x42, Baseline: 0x42, Main: 0x4d, High: 0x64 };

/** CODECS says avc1.PPCCLL: its profile and level bytes must be the stream's own. */
function assertCodecMatches(codecs: string, video: { profile: string; level: number }): void {
  assert.equal(Number.parseInt(codecs.slice(5, 7), 16), PROFILE_IDC[video.profile], `profile ${video.profile} in ${codecs}`);
  assert.equal(Number.parseInt(codecs.slice(9, 11), 16), video.level, `level ${video.level} in ${codecs}`);
}

describe("transcodeToHls", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createTempDir("kino-hls-");
  });
  after(() => dir.remove());

  describe("a 640x360 clip with sound", () => {
    let result: HlsPackage;
    const progress: FfmpegProgress[] = [];
    let outDir: string;

    before(async () => {
      const source = await makeClip(join(dir.path, "with-sound.mp4"), { width: 640, height: 360, rate: 30, seconds: 5 });
      outDir = join(dir.path, "with-sound");
      result = await transcodeToHls({ sourcePath: source, workDir: outDir, videoId: "vid1", segmentSeconds: 2, onProgress: (e) => progress.push(e) });
    });

    /** Average bits per second of a track, measured as the master's AVERAGE-BANDWIDTH is. */
    async function averageOf(track: string): Promise<number> {
      const playlist = parseMediaPlaylist(await readFile(join(outDir, track, "index.m3u8"), "utf8"));
      let bytes = 0;
      for (const s of playlist.segments) bytes += (await readFile(join(outDir, track, s.uri))).length;
      return Math.ceil((bytes * 8) / playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0));
    }

    it("writes a master playlist listing one audio group and every rung pointing at it, with measured bandwidth, resolution, frame rate and codecs", async () => {
      const master = await readFile(join(outDir, "master.m3u8"), "utf8");
      assert.match(master, /^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n/);
      assert.deepEqual(
        master.split("\n").filter((l) => l.startsWith("#EXT-X-MEDIA:")),
        ['#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio 1",LANGUAGE="und",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/und/index.m3u8"'],
      );
      const audioAverage = await averageOf("audio/und");
      const variants = streamInfAttributes(master);
      assert.deepEqual([...variants.keys()], ["360p/index.m3u8", "240p/index.m3u8"]);
      assert.deepEqual(variants.get("360p/index.m3u8")?.RESOLUTION, "640x360");
      assert.deepEqual(variants.get("240p/index.m3u8")?.RESOLUTION, "426x240");
      for (const [uri, attributes] of variants) {
        const rung = uri.split("/")[0]!;
        assert.equal(attributes["FRAME-RATE"], "30.000");
        assert.match(attributes.CODECS ?? "", /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
        assert.equal(attributes.AUDIO, "aud");
        assert.equal(Number(attributes["AVERAGE-BANDWIDTH"]), (await averageOf(rung)) + audioAverage, "the rung's video plus the audio it plays with");
        assert.ok(Number(attributes.BANDWIDTH) >= Number(attributes["AVERAGE-BANDWIDTH"]));
      }
      assert.deepEqual(
        result.renditions.map((r) => [r.name, r.width, r.height, r.frameRate, r.codecs]),
        [...variants].map(([uri, a]) => [uri.split("/")[0], ...a.RESOLUTION!.split("x").map(Number), 30, a.CODECS]),
      );
    });

    it("produces video-only renditions that decode at the declared size with CODECS that match the stream, and the audio once beside them", async () => {
      for (const rendition of result.renditions) {
        const joined = await joinRendition(outDir, rendition.name, join(dir.path, `${rendition.name}-joined.mp4`));
        const { streams } = await ffprobeJson(joined, ["-count_frames", "-show_streams"]);
        assert.deepEqual(streams.map((s: { codec_type: string }) => s.codec_type), ["video"], `${rendition.name} holds no audio`);
        const video = streams[0];
        assert.equal(video.codec_name, "h264");
        assert.deepEqual([video.width, video.height], [rendition.width, rendition.height]);
        assert.equal(Number(video.nb_read_frames), 150, `${rendition.name} decodes all 5 s at 30 fps`);
        assertCodecMatches(rendition.codecs, video);
      }
      const { streams } = await ffprobeJson(await joinRendition(outDir, "audio/und", join(dir.path, "audio-joined.mp4")), ["-show_streams"]);
      assert.deepEqual(streams.map((s: { codec_type: string; codec_name: string; sample_rate: string; channels: number }) => [s.codec_type, s.codec_name, s.sample_rate, s.channels]), [["audio", "aac", "48000", 2]]);
      assert.deepEqual(result.audio.map((a) => [a.name, a.codecs, a.isDefault]), [["und", "mp4a.40.2", true]]);
    });

    it("cuts every rung at the same segment boundaries", async () => {
      const durations = await Promise.all(
        result.renditions.map(async (r) => parseMediaPlaylist(await readFile(join(outDir, r.name, "index.m3u8"), "utf8")).segments.map((s) => s.durationSeconds)),
      );
      assert.deepEqual(durations[0], [2, 2, 1]);
      for (const d of durations) assert.deepEqual(d, durations[0]);
    });

    it("lists exactly the files it wrote, with the init segment under its stable name", async () => {
      assert.deepEqual([...result.files].sort(), await listFiles(outDir));
      assert.equal(result.files[0], "master.m3u8");
      assert.ok(["360p/init.mp4", "240p/init.mp4", "audio/und/init.mp4", "audio/und/index.m3u8", "poster.jpg"].every((f) => result.files.includes(f)));
      assert.ok(Math.abs(result.durationSeconds - 5) < 0.1);
    });

    it("writes a poster at the top rung's size", async () => {
      const { streams } = await ffprobeJson(join(outDir, "poster.jpg"));
      assert.equal(streams[0].codec_name, "mjpeg");
      assert.deepEqual([streams[0].width, streams[0].height], [640, 360]);
    });

    it("reports progress that rises to 100", () => {
      assert.ok(progress.length > 0);
      assert.equal(progress.at(-1)?.percent, 100);
      assert.equal(progress.at(-1)?.done, true);
      const percents = progress.map((p) => p.percent ?? -1);
      assert.deepEqual(percents, [...percents].sort((a, b) => a - b));
    });
  });

  it("packages a silent, rotated phone clip as portrait video without audio", async () => {
    const upright = await makeClip(join(dir.path, "silent-upright.mp4"), { width: 320, height: 180, seconds: 2, audio: false });
    // Phones record landscape pixels plus a display rotation; only a stream copy keeps the tag in ffmpeg 5.1.
    const source = join(dir.path, "silent.mp4");
    await ffmpeg(["-i", upright, "-c", "copy", "-metadata:s:v:0", "rotate=90", source]);
    const outDir = join(dir.path, "silent");
    const result = await transcodeToHls({ sourcePath: source, workDir: outDir, videoId: "vid2", preset: "ultrafast" });
    assert.equal(result.renditions.length, 1);
    const [rendition] = result.renditions;
    assert.deepEqual([rendition?.name, rendition?.width, rendition?.height], ["180p", 180, 320]);
    assert.match(rendition?.codecs ?? "", /^avc1\.[0-9a-f]{6}$/);
    const master = await readFile(join(outDir, "master.m3u8"), "utf8");
    assert.doesNotMatch(master, /mp4a|EXT-X-MEDIA|AUDIO=/);
    assert.deepEqual(result.audio, []);
    const { streams } = await ffprobeJson(await joinRendition(outDir, "180p", join(dir.path, "silent-joined.mp4")));
    assert.deepEqual(streams.map((s: { codec_type: string }) => s.codec_type), ["video"]);
    assert.deepEqual([streams[0].width, streams[0].height], [180, 320]);
    assert.ok(!(streams[0].side_data_list ?? []).some((d: { rotation?: number }) => d.rotation), "pixels are upright: no rotation left for the player to apply");
  });

  it("deinterlaces, caps the frame rate at 60 and converts to 4:2:0 for a 120 fps interlaced 4:4:4 source", async () => {
    const source = join(dir.path, "camera.mp4");
    await ffmpeg([
      "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=120:duration=1",
      "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", "-flags", "+ildct+ilme", "-x264-params", "tff=1", source,
    ]);
    const outDir = join(dir.path, "camera");
    const result = await transcodeToHls({ sourcePath: source, workDir: outDir, videoId: "vid3", preset: "ultrafast" });
    assert.equal(result.plan.deinterlace, true);
    assert.equal(result.renditions[0]?.frameRate, 60);
    const { streams } = await ffprobeJson(await joinRendition(outDir, "240p", join(dir.path, "camera-joined.mp4")), ["-count_frames", "-show_streams"]);
    assert.equal(streams[0].pix_fmt, "yuv420p");
    // A 4:4:4 source must not yield a High 4:4:4 stream most players refuse.
    assertCodecMatches(result.renditions[0]!.codecs, streams[0]);
    assert.equal(streams[0].field_order, "progressive");
    assert.equal(Number(streams[0].nb_read_frames), 60);
  });
});
