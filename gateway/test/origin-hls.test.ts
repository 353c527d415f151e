import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { packageFrames as frames, storeTinyPackage } from "./hls-package.ts";
import { startOriginTestServer, type OriginTestServer } from "./origin-test-server.ts";

const run = promisify(execFile);
const videoId = "vid_hls_e2e";
const outputId = "out_attempt2";
// An earlier attempt that uploaded a complete package before it was abandoned.
const abandonedOutputId = "out_attempt1";

let server: OriginTestServer;

before(async () => {
  server = await startOriginTestServer();
  const files = await storeTinyPackage(server.storage, videoId, [abandonedOutputId, outputId]);
  assert.ok(files.includes("master.m3u8") && files.includes("180p/init.mp4"), `unexpected package: ${files.join(", ")}`);
  server.playback.set(videoId, outputId);
});
after(() => server.close());

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
