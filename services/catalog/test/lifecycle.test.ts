import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { RenditionState, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { TranscodeJobSchema } from "@kino/proto/media/v1";
import { requireTestEnv } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let owner: CatalogClient;
let nc: NatsConnection;

before(async () => {
  env = await startTestCatalog();
  owner = env.clientAs("lifecycle-owner");
  nc = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
});
after(async () => {
  await nc.close();
  await env.close();
});

async function newVideo(): Promise<Video> {
  return (await owner.createVideo({ title: "pipeline" })).video!;
}

/** Every message currently in a stream, decoded by subject. */
async function streamMessages(stream: string): Promise<{ subject: string; data: Uint8Array }[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const out: { subject: string; data: Uint8Array }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (message) out.push({ subject: message.subject, data: message.data });
  }
  return out;
}

async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message: RegExp) {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, error.details);
    assert.match(error.details, message);
    return true;
  });
}

const source = { durationSeconds: 3, width: 320, height: 180, frameRate: 30, hasAudio: true, sizeBytes: 1234n, videoCodec: "h264" };

test("a video goes UPLOADED → PROCESSING → READY once, and the job and events are published once", async () => {
  const video = await newVideo();
  const sourceKey = `raw/${video.id}/source`;
  const uploaded = await env.lifecycle.markUploaded({ videoId: video.id, sourceKey, source });
  assert.equal(uploaded.video?.status, VideoStatus.UPLOADED);
  assert.equal(uploaded.video?.durationSeconds, 3);
  const again = await env.lifecycle.markUploaded({ videoId: video.id, sourceKey, source });
  assert.equal(again.video?.status, VideoStatus.UPLOADED, "a repeated MarkUploaded is harmless");

  await env.catalog.outbox.drained(5000);
  const jobs = (await streamMessages(env.topology.streams.jobs)).filter((m) => m.subject === env.topology.transcodeJobSubject);
  const mine = jobs.map((m) => fromBinary(TranscodeJobSchema, m.data)).filter((j) => j.videoId === video.id);
  assert.equal(mine.length, 1, "exactly one transcode job");
  assert.equal(mine[0]!.sourceKey, sourceKey);
  assert.equal(mine[0]!.source?.width, 320);
  assert.deepEqual(mine[0]!.ranges.map((r) => r.index), [0]);

  const first = await env.lifecycle.startProcessing({ videoId: video.id });
  assert.equal(first.alreadyDone, false);
  const redelivered = await env.lifecycle.startProcessing({ videoId: video.id });
  assert.equal(redelivered.alreadyDone, false, "a redelivered job may process again until READY");

  await env.lifecycle.reportProgress({ videoId: video.id, percent: 42.5, fps: 120, speed: 4 });
  const during = (await owner.getVideo({ id: video.id })).video!;
  assert.equal(during.status, VideoStatus.PROCESSING);
  assert.equal(during.progress?.percent, 42.5);
  assert.equal(during.progress?.speed, 4);

  const renditions = [{ name: "180p", width: 320, height: 180, bandwidth: 500_000, averageBandwidth: 400_000, frameRate: 30, codecs: "avc1.64000d,mp4a.40.2" }];
  const ready = await env.lifecycle.markReady({ videoId: video.id, outputId: "attempt1", durationSeconds: 3.01, renditions, hasStoryboard: true, hasPreview: true });
  assert.equal(ready.video?.status, VideoStatus.READY);
  assert.equal(ready.video?.playbackPath, `/hls/${video.id}/attempt1/master.m3u8`);
  assert.equal(ready.video?.posterPath, `/hls/${video.id}/attempt1/poster.jpg`);
  assert.equal(ready.video?.storyboardPath, `/hls/${video.id}/attempt1/storyboard.vtt`);
  assert.equal(ready.video?.previewPath, `/hls/${video.id}/attempt1/preview.webp`);
  assert.equal((await owner.getVideo({ id: video.id })).video?.storyboardPath, `/hls/${video.id}/attempt1/storyboard.vtt`, "stored, not just answered");
  assert.deepEqual(ready.video?.renditions.map((r) => [r.name, r.width, r.height, r.codecs]), [["180p", 320, 180, "avc1.64000d,mp4a.40.2"]]);
  assert.equal((await env.lifecycle.markReady({ videoId: video.id, outputId: "attempt1", durationSeconds: 3.01, renditions })).video?.status, VideoStatus.READY);
  await rejectsWith(env.lifecycle.markReady({ videoId: video.id, outputId: "attempt2", durationSeconds: 3, renditions }), GrpcStatus.FAILED_PRECONDITION, /already READY/);
  assert.equal((await env.lifecycle.startProcessing({ videoId: video.id })).alreadyDone, true);
  assert.equal((await env.lifecycle.getPlayback({ videoId: video.id })).outputId, "attempt1");
  await rejectsWith(env.lifecycle.markFailed({ videoId: video.id, reason: "late failure" }), GrpcStatus.FAILED_PRECONDITION, /READY/);

  // Anyone may now see it.
  const stranger = env.clientAs("someone-else");
  assert.equal((await stranger.getVideo({ id: video.id })).video?.status, VideoStatus.READY);

  await env.catalog.outbox.drained(5000);
  const events = (await streamMessages(env.topology.streams.events))
    .map((m) => ({ subject: m.subject, event: fromBinary(VideoEventSchema, m.data) }))
    .filter((e) => e.event.videoId === video.id);
  assert.deepEqual(
    events.map((e) => [e.subject, e.event.kind.case]),
    [
      [env.topology.videoEventSubject("created"), "created"],
      [env.topology.videoEventSubject("uploaded"), "uploaded"],
      [env.topology.videoEventSubject("ready"), "ready"],
    ],
  );
  // Each event carries the video as it is right after it, with the version consumers order by.
  assert.deepEqual(
    events.map((e) => [e.event.video?.status, e.event.video?.version]),
    [
      [VideoStatus.UPLOADING, 1n],
      [VideoStatus.UPLOADED, uploaded.video!.version],
      [VideoStatus.READY, ready.video!.version],
    ],
  );
});

test("failures carry their reason; out-of-order and malformed calls are refused", async () => {
  const video = await newVideo();
  await rejectsWith(env.lifecycle.markUploaded({ videoId: video.id, sourceKey: "raw/othervideo/source", source }), GrpcStatus.INVALID_ARGUMENT, /source_key/);
  await rejectsWith(env.lifecycle.markUploaded({ videoId: video.id, sourceKey: `raw/${video.id}/../x`, source }), GrpcStatus.INVALID_ARGUMENT, /source_key/);
  await rejectsWith(env.lifecycle.startProcessing({ videoId: video.id }), GrpcStatus.FAILED_PRECONDITION, /UPLOADING/);
  await rejectsWith(env.lifecycle.markReady({ videoId: video.id, outputId: "../x", durationSeconds: 1 }), GrpcStatus.INVALID_ARGUMENT, /output_id/);
  await rejectsWith(env.lifecycle.markFailed({ videoId: video.id, reason: "  " }), GrpcStatus.INVALID_ARGUMENT, /reason/);
  await rejectsWith(env.lifecycle.markFailed({ videoId: "abcdefghij0123456789", reason: "x" }), GrpcStatus.NOT_FOUND, /not found/);

  const failed = await env.lifecycle.markFailed({ videoId: video.id, reason: "not a video file" });
  assert.equal(failed.video?.status, VideoStatus.FAILED);
  assert.equal(failed.video?.failureReason, "not a video file");
  assert.equal((await env.lifecycle.markFailed({ videoId: video.id, reason: "again" })).video?.failureReason, "not a video file");
  assert.equal((await owner.getVideo({ id: video.id })).video?.failureReason, "not a video file");
  assert.equal((await env.lifecycle.getPlayback({ videoId: video.id })).outputId, "");
});

test("WatchVideo streams each status and progress change and ends at READY", async () => {
  const video = await newVideo();
  const seen: { status: VideoStatus; percent: number | undefined }[] = [];
  const watching = (async () => {
    for await (const message of owner.watchVideo({ id: video.id })) {
      seen.push({ status: message.video!.status, percent: message.video!.progress?.percent });
    }
  })();
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(predicate(), `saw ${JSON.stringify(seen)}`);
  };
  await waitFor(() => seen.length === 1);
  await env.lifecycle.markUploaded({ videoId: video.id, sourceKey: `raw/${video.id}/source`, source });
  await waitFor(() => seen.length === 2);
  await env.lifecycle.startProcessing({ videoId: video.id });
  await waitFor(() => seen.length === 3);
  await env.lifecycle.reportProgress({ videoId: video.id, percent: 50, fps: 1, speed: 1 });
  await waitFor(() => seen.length === 4);
  const bare = await env.lifecycle.markReady({ videoId: video.id, outputId: "out", durationSeconds: 1 });
  // A transcoder that made no storyboard or preview (or predates them) names none.
  assert.deepEqual([bare.video?.storyboardPath, bare.video?.previewPath], ["", ""]);
  await watching;
  assert.deepEqual(seen, [
    { status: VideoStatus.UPLOADING, percent: undefined },
    { status: VideoStatus.UPLOADED, percent: undefined },
    { status: VideoStatus.PROCESSING, percent: undefined },
    { status: VideoStatus.PROCESSING, percent: 50 },
    { status: VideoStatus.READY, percent: undefined },
  ]);
});

test("WatchVideo of someone else's unfinished video is NotFound; deleting announces video.deleted", async () => {
  const video = await newVideo();
  const stranger = env.clientAs("stranger");
  await assert.rejects(
    (async () => {
      for await (const _ of stranger.watchVideo({ id: video.id })) assert.fail("nothing may be streamed");
    })(),
    (error: { code: number }) => error.code === GrpcStatus.NOT_FOUND,
  );
  await owner.deleteVideo({ id: video.id });
  await env.catalog.outbox.drained(5000);
  const deleted = (await streamMessages(env.topology.streams.events))
    .map((m) => fromBinary(VideoEventSchema, m.data))
    .filter((e) => e.videoId === video.id && e.kind.case === "deleted");
  assert.equal(deleted.length, 1);
});

test("MarkReady stores each rung's quality report and GetVideo returns it; a malformed report, or one on a rung not READY, is refused", async () => {
  const video = await newVideo();
  await env.lifecycle.markUploaded({ videoId: video.id, sourceKey: `raw/${video.id}/source`, source });
  await env.lifecycle.startProcessing({ videoId: video.id });
  const rung = (name: string, height: number) => ({ name, width: (height * 16) / 9, height, bandwidth: 500_000, averageBandwidth: 400_000, frameRate: 30, codecs: "avc1.64001f,mp4a.40.2" });
  const quality = { ssim: 0.9876, psnrDb: 41.25, framesCompared: 24 };

  await rejectsWith(
    env.lifecycle.publishRenditions({ videoId: video.id, outputId: "q1", durationSeconds: 3, renditions: [{ ...rung("360p", 360), state: RenditionState.READY }, { ...rung("180p", 180), state: RenditionState.ENCODING, quality }] }),
    GrpcStatus.INVALID_ARGUMENT,
    /180p has a quality report but is not READY/,
  );
  for (const bad of [{ ...quality, ssim: 1.5 }, { ...quality, psnrDb: Number.NaN }, { ...quality, framesCompared: 0 }]) {
    await rejectsWith(env.lifecycle.markReady({ videoId: video.id, outputId: "q1", durationSeconds: 3, renditions: [{ ...rung("360p", 360), quality: bad }] }), GrpcStatus.INVALID_ARGUMENT, /360p's quality/);
  }

  // A rung that could not be measured is READY without a report.
  await env.lifecycle.markReady({ videoId: video.id, outputId: "q1", durationSeconds: 3, renditions: [{ ...rung("360p", 360), quality }, rung("180p", 180)] });
  const stored = (await env.clientAs("someone-else").getVideo({ id: video.id })).video!;
  assert.deepEqual(
    stored.renditions.map((r) => [r.name, r.quality && { ssim: r.quality.ssim, psnrDb: r.quality.psnrDb, framesCompared: r.quality.framesCompared }]),
    [["360p", quality], ["180p", undefined]],
  );
});
