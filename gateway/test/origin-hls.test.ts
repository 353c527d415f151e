import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { mediaKey } from "@kino/storage";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startOriginTestServer, type OriginTestServer } from "./origin-test-server.ts";

const run = promisify(execFile);
const videoId = "vid_hls_e2e";
const outputId = "out_attempt2";
// An earlier attempt that uploaded a complete package before it was abandoned.
const abandonedOutputId = "out_attempt1";
const frames = 48;

let server: OriginTestServer;
let work: TempDir;

/** A 2 s, 320x180 CMAF package as the transcoder lays it out: master.m3u8 and 180p/{index.m3u8,init.mp4,seg_*.m4s}. */
async function packageTinyClip(dir: string): Promise<string[]> {
  await run("ffmpeg", [
    "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", `testsrc=size=320x180:rate=24:duration=${frames / 24}`,
    "-f", "lavfi", "-i", `sine=frequency=440:duration=${frames / 24}`,
    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "24", "-c:a", "aac",
    "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
    "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", join(dir, "%v", "seg_%05d.m4s"),
    "-master_pl_name", "master.m3u8", "-var_stream_map", "v:0,a:0,name:180p",
    join(dir, "%v", "index.m3u8"),
  ]);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

before(async () => {
  server = await startOriginTestServer();
  work = await createTempDir("kino-origin-hls-");
  const files = await packageTinyClip(work.path);
  assert.ok(files.includes("master.m3u8") && files.includes("180p/init.mp4"), `unexpected package: ${files.join(", ")}`);
  for (const file of files) {
    const bytes = await readFile(join(work.path, file));
    for (const attempt of [abandonedOutputId, outputId]) {
      await server.storage.put(mediaKey(videoId, attempt, ...(file.split("/") as [string, ...string[]])), bytes);
    }
  }
  server.playback.set(videoId, outputId);
});
after(async () => {
  await server.close();
  await work.remove();
});

async function probe(url: string) {
  const { stdout } = await run("ffprobe", [
    "-v", "error", "-count_frames", "-select_streams", "v:0",
    "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", url,
  ]);
  return (JSON.parse(stdout) as { streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[] }).streams;
}

test("ffprobe plays the whole package through the origin, from the master playlist down", async () => {
  for (const playlist of ["master.m3u8", "180p/index.m3u8"]) {
    const streams = await probe(`${server.baseUrl}/hls/${videoId}/${outputId}/${playlist}`);
    assert.equal(streams.length, 1, playlist);
    assert.deepEqual(
      { codec: streams[0]!.codec_name, width: streams[0]!.width, height: streams[0]!.height, frames: Number(streams[0]!.nb_read_frames) },
      { codec: "h264", width: 320, height: 180, frames },
      playlist,
    );
  }
});

test("the complete package of an abandoned attempt does not play", async () => {
  await assert.rejects(probe(`${server.baseUrl}/hls/${videoId}/${abandonedOutputId}/master.m3u8`), /404 Not Found/);
});
