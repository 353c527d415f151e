import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { mediaKey, mediaPrefix, rawPrefix, type Storage } from "@kino/storage";
import { listAttempts, startTranscoder, type RunningTranscoder } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { streamMessages, videoEvents } from "./support/streams.ts";
import { startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
let transcoder: RunningTranscoder;

before(async () => {
  stack = await startTestStack();
  transcoder = await startTranscoder(stack.transcoderConfig(), silentLogger());
});
after(async () => {
  await transcoder?.close();
  await stack?.close();
});

async function keysUnder(storage: Storage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of storage.list(prefix)) keys.push(object.key);
  return keys;
}

test("an uploaded video becomes READY from one attempt's outputs; progress is reported; an abandoned attempt's outputs are removed", async () => {
  const clip = await stack.clip("clip.mp4", { width: 320, height: 180, seconds: 2 });
  const id = await stack.createVideo();
  // What a transcoder killed mid-upload leaves behind.
  await stack.storage.put(mediaKey(id, "abandoned0", "180p", "seg_00000.m4s"), Buffer.from("half a segment"));
  await stack.markUploaded(id, clip);

  const video = await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY || v.status === VideoStatus.FAILED, 30_000, "a finished video");
  assert.equal(video.status, VideoStatus.READY, video.failureReason);
  assert.deepEqual(video.renditions.map((r) => [r.name, r.width, r.height]), [["180p", 320, 180]]);
  assert.ok(video.renditions[0]!.bandwidth > 0 && video.renditions[0]!.codecs.startsWith("avc1."));
  // The quality report: the fewest frames (4), from the start of the 2 s clip's one segment, against the source.
  const quality = video.renditions[0]!.quality;
  assert.ok(quality, "the encoded rung has a quality report");
  assert.equal(quality.framesCompared, 4);
  assert.ok(quality.ssim > 0.9 && quality.ssim <= 1, `SSIM ${quality.ssim}`);
  assert.ok(quality.psnrDb > 25 && quality.psnrDb <= 60, `PSNR ${quality.psnrDb} dB`);
  assert.ok(Math.abs(video.durationSeconds - 2) < 0.2, `duration ${video.durationSeconds}`);

  // The transcoder tidies up after READY and acks last: once the job leaves the work queue its work is done.
  await eventually(() => streamMessages(stack.nats, stack.topology.streams.jobs), (jobs) => jobs.length === 0, 3000, "the acknowledged job to leave the work queue");
  const { outputId } = await stack.lifecycle.getPlayback({ videoId: id });
  assert.match(outputId, /^[a-z0-9]{16}$/);
  assert.equal(video.playbackPath, `/hls/${id}/${outputId}/master.m3u8`);
  const keys = await keysUnder(stack.storage, mediaPrefix(id));
  assert.ok(keys.every((key) => key.startsWith(`media/${id}/${outputId}/`)), keys.join("\n"));
  for (const file of ["master.m3u8", "poster.jpg", "180p/index.m3u8", "180p/init.mp4"]) assert.ok(keys.includes(`media/${id}/${outputId}/${file}`), `${file} published`);
  assert.deepEqual(await listAttempts(stack.storage, id), [outputId]);

  await stack.catalog.outbox.drained(5000);
  const events = await videoEvents(stack.nats, stack.topology.streams.events, id);
  const progress = events.filter((e) => e.kind.case === "progress").map((e) => e.kind.value as { percent: number; fps: number; speed: number });
  assert.ok(progress.length >= 1, "progress was published");
  assert.ok(progress.every((p) => p.percent >= 0 && p.percent <= 100 && p.fps >= 0 && p.speed >= 0));
  assert.equal(events.filter((e) => e.kind.case === "ready").length, 1);
});

test("the ops server reports healthy dependencies and the finished job", async () => {
  const health = await fetch(`http://127.0.0.1:${transcoder.opsPort}/healthz`);
  const report = (await health.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
  assert.equal(health.status, 200, JSON.stringify(report));
  assert.deepEqual(Object.keys(report.checks).sort(), ["catalog", "nats", "storage"]);
  const metrics = await (await fetch(`http://127.0.0.1:${transcoder.opsPort}/metrics`)).text();
  assert.match(metrics, /^kino_transcode_jobs_succeeded_total\{[^}]*\} 1$/m);
  assert.match(metrics, /^kino_transcode_pool_capacity\{[^}]*\} [1-9]\d*$/m);
});

test("deleting a video removes its source and outputs from storage", async () => {
  const id = await stack.uploadVideo(await stack.clip("short.mp4", { width: 160, height: 90, seconds: 1 }));
  await eventually(() => stack.getVideo(id), (v) => v.status === VideoStatus.READY, 30_000, "a READY video");
  const stored = async () => [...(await keysUnder(stack.storage, rawPrefix(id))), ...(await keysUnder(stack.storage, mediaPrefix(id)))];
  assert.ok((await keysUnder(stack.storage, mediaPrefix(id))).length > 0);
  await stack.deleteVideo(id);
  await eventually(stored, (keys) => keys.length === 0, 10_000, "raw/ and media/ of the deleted video to be empty");
});
