import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaPrefix, rawPrefix } from "@kino/storage";
import { startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { decodesCleanly, fetchTrack, keysUnder, presentationTimes, readText, sumOf } from "./support/chunk-checks.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;
const FRAME = 1 / 30;
const execFileAsync = promisify(execFile);

before(async () => {
  stack = await startTestStack();
  // 2 s segments in ranges of 4 s: a 14 s source is 4 ranges.
  transcoder = await startTranscoder(stack.transcoderConfig({ KINO_TRANSCODE_RANGE_SECONDS: "4", KINO_TRANSCODE_SPLIT_MIN_SECONDS: "8", KINO_HLS_SEGMENT_SECONDS: "2" }), silentLogger());
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});


for (const [label, gop] of [["standard (passthrough first)", 60], ["non-standard GOP (fast rung first)", 900]] as const) {
  test(`a ${label} source split into ranges joins into one continuous track per rung`, async () => {
    const seconds = 14;
    const clip = await stack.clip(`chunked-${gop}.mp4`, { width: 640, height: 360, seconds, gop });
    const id = await stack.uploadVideo(clip, { width: 640, height: 360, seconds });
    const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 120_000, "a finished video");
    assert.equal(video.status, VideoStatus.READY, video.failureReason);
    const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
    const master = await readText(stack.storage, `media/${id}/${outputId}/master.m3u8`);
    const names = [...master.matchAll(/^([^#\s][^\n]*)\/index\.m3u8$/gm)].map((m) => m[1]!);
    assert.deepEqual(names, video.renditions.map((r) => r.name), master);
    const audio = await fetchTrack(stack.storage, id, outputId, ["audio", "und"], stack.dir.path);
    const audioSeconds = sumOf(audio.playlist.segments.map((s) => s.durationSeconds));
    let boundaries: number[] | undefined;
    for (const rung of video.renditions) {
      const track = await fetchTrack(stack.storage, id, outputId, [rung.name], stack.dir.path);
      assert.ok(!track.text.includes("EXT-X-DISCONTINUITY"), track.text);
      assert.equal(track.text.match(/EXT-X-MAP/g)?.length, 1);
      // Segments of four range attempts (a name per attempt), numbered across the whole video; a fast first rung is one encode of the whole source.
      const uris = track.playlist.segments.map((s) => s.uri);
      const fastRung = gop > 300 && rung === video.renditions.at(-1);
      if (!fastRung) assert.ok(uris.every((u, i) => new RegExp(`^seg_${String(i).padStart(5, "0")}_[a-z0-9]{8}\\.m4s$`).test(u)), `${rung.name} of ${video.renditions.map((r) => r.name).join(",")}: ${uris.join(" ")}`);
      if (!fastRung) assert.equal(new Set(uris.map((u) => u.split("_")[2])).size, 4, `${rung.name}: one attempt per range`);
      const durations = track.playlist.segments.map((s) => s.durationSeconds);
      assert.ok(Math.abs(sumOf(durations) - seconds) <= FRAME, `${rung.name}: EXTINF sum ${sumOf(durations)}`);
      assert.ok(Math.abs(sumOf(durations) - audioSeconds) <= FRAME + 0.03, `${rung.name}: video ${sumOf(durations)} s, audio ${audioSeconds} s`);
      boundaries ??= durations;
      assert.deepEqual(durations.map((d) => d.toFixed(3)), boundaries.map((d) => d.toFixed(3)), `${rung.name} cuts where the others do`);
      await decodesCleanly(track.file);
      const times = await presentationTimes(track.file, "v");
      assert.equal(times.length, seconds * 30, `${rung.name}: every source frame once`);
      const jumps = times.slice(1).map((t, i) => t - times[i]!).filter((d) => Math.abs(d - FRAME) > 0.002);
      assert.deepEqual(jumps, [], `${rung.name}: no timestamp jump`);
    }
    // Nothing left but what the playlists name: no slices, no second attempt's segments.
    await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 10_000, "every job acknowledged");
    assert.deepEqual((await keysUnder(stack.storage, rawPrefix(id))).filter((k) => k.includes("slice")), []);
    for (const rung of video.renditions) {
      const track = await readText(stack.storage, `media/${id}/${outputId}/${rung.name}/index.m3u8`);
      const named = new Set(["index.m3u8", "init.mp4", ...[...track.matchAll(/^(seg_[^\n]+)$/gm)].map((m) => m[1]!)]);
      const stored = (await keysUnder(stack.storage, `media/${id}/${outputId}/${rung.name}/`)).map((k) => k.split("/").pop()!);
      assert.deepEqual(stored.filter((f) => !named.has(f) && !f.startsWith("iframes")), [], `${rung.name}: only what the playlist names`);
    }
    assert.ok((await keysUnder(stack.storage, mediaPrefix(id))).length > 0);
  });
}

test("a rotated source long enough to split is encoded whole (slices would lose the rotation), upright", async () => {
  const seconds = 14;
  const plain = await stack.clip("upright.mp4", { width: 320, height: 180, seconds, gop: 60 });
  const rotated = join(stack.dir.path, "rotated.mp4");
  // Only a stream copy keeps the rotate tag in ffmpeg 5.1.
  await execFileAsync("ffmpeg", ["-v", "error", "-y", "-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated]);
  const id = await stack.uploadVideo(rotated, { width: 180, height: 320, seconds });
  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 120_000, "a finished video");
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  assert.ok(video.renditions.every((r) => r.height > r.width), `portrait: ${video.renditions.map((r) => `${r.width}x${r.height}`).join(" ")}`);
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  for (const rung of video.renditions) {
    const track = await readText(stack.storage, `media/${id}/${outputId}/${rung.name}/index.m3u8`);
    assert.match(track, /^seg_00000\.m4s$/m, `${rung.name} is one encode, not ranges`);
  }
});
