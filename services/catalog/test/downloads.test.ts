import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { createTopology } from "@kino/messaging";
import { ContentProtection, DownloadState, VideoLifecycleService, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { DownloadJobSchema } from "@kino/proto/media/v1";
import { requireTestEnv } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { catalogClientFor, lifecycleClientFor, startTestCatalog, type CatalogClient, type LifecycleClient, type StartedTestCatalog } from "../src/testing.ts";

const credentials = testServiceCredentials();
let env: StartedTestCatalog;
let owner: CatalogClient;
let stranger: CatalogClient;
let lifecycle: LifecycleClient;
let nc: NatsConnection;
const closers: { close(): void }[] = [];

before(async () => {
  env = await startTestCatalog({ masterKeys: `k1:${randomBytes(32).toString("base64")}` });
  owner = catalogClientFor(credentials, env.address, "download-owner");
  stranger = catalogClientFor(credentials, env.address, "download-stranger");
  lifecycle = lifecycleClientFor(credentials, env.address);
  closers.push(owner, stranger, lifecycle);
  nc = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
});
after(async () => {
  for (const c of closers) c.close();
  await nc.close();
  await env.close();
});

function failsWith(code: GrpcStatus, message: RegExp) {
  return (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `${GrpcStatus[error.code]}: ${error.details}`);
    assert.match(error.details, message);
    return true;
  };
}

const rung = { name: "180p", width: 320, height: 180, bandwidth: 500_000, averageBandwidth: 400_000, frameRate: 30, codecs: "avc1.64000d,mp4a.40.2" };

/** Takes a created video through the pipeline to READY under `outputId`, MarkReady saying `download` of it. */
async function makeReady(video: Video, outputId: string, download?: { state: DownloadState; sizeBytes?: bigint; reason?: string }): Promise<Video> {
  await lifecycle.markUploaded({ videoId: video.id, sourceKey: `raw/${video.id}/source`, source: { durationSeconds: 3, width: 320, height: 180 } });
  const started = await lifecycle.startProcessing({ videoId: video.id });
  assert.equal(started.video!.download!.state, video.download!.state, "the transcoder learns from StartProcessing whether to make one");
  const ready = await lifecycle.markReady({ videoId: video.id, outputId, durationSeconds: 3, renditions: [rung], ...(download ? { download } : {}) });
  assert.equal(ready.video!.status, VideoStatus.READY);
  return ready.video!;
}

/** The download jobs published for a video so far. */
async function downloadJobs(videoId: string) {
  await env.catalog.outbox.drained(5000);
  const topology = createTopology(env.natsPrefix);
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(topology.streams.jobs);
  const jobs = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(topology.streams.jobs, { seq }).catch(() => undefined);
    if (message?.subject === topology.downloadJobSubject) jobs.push(fromBinary(DownloadJobSchema, message.data));
  }
  return jobs.filter((j) => j.videoId === videoId);
}

test("a video without a download says NONE; one asked for at creation is PENDING, and MarkReady's outcome makes it READY with its path and size", async () => {
  const plain = (await owner.createVideo({ title: "no download" })).video!;
  assert.equal(plain.download!.state, DownloadState.NONE);
  const readyPlain = await makeReady(plain, "outplain");
  assert.equal(readyPlain.download!.state, DownloadState.NONE, "an outcome is recorded only for a download asked for");

  const video = (await owner.createVideo({ title: "with download", download: true })).video!;
  assert.equal(video.download!.state, DownloadState.PENDING);
  assert.equal(video.download!.path, "");
  const ready = await makeReady(video, "out1", { state: DownloadState.READY, sizeBytes: 12345n });
  assert.equal(ready.download!.state, DownloadState.READY);
  assert.equal(ready.download!.path, `/hls/${video.id}/out1/download.mp4`);
  assert.equal(ready.download!.sizeBytes, 12345n);
  const playback = await lifecycle.getPlayback({ videoId: video.id });
  assert.equal(playback.downloadReady, true);
  assert.equal(playback.title, "with download");
  assert.equal((await lifecycle.getPlayback({ videoId: plain.id })).downloadReady, false);
});

test("a failed download never fails the video: READY, download FAILED with the reason; a PENDING one MarkReady says nothing of is FAILED", async () => {
  const video = (await owner.createVideo({ title: "failing download", download: true })).video!;
  const ready = await makeReady(video, "out1", { state: DownloadState.FAILED, reason: "ffmpeg: \u001b[31mno\u001b[0m moov" });
  assert.equal(ready.status, VideoStatus.READY);
  assert.equal(ready.download!.state, DownloadState.FAILED);
  assert.equal(ready.download!.reason, "ffmpeg: no moov");
  assert.equal(ready.download!.path, "");
  assert.equal((await lifecycle.getPlayback({ videoId: video.id })).downloadReady, false);

  const silent = (await owner.createVideo({ title: "old transcoder", download: true })).video!;
  const readySilent = await makeReady(silent, "out1");
  assert.equal(readySilent.download!.state, DownloadState.FAILED);
  assert.match(readySilent.download!.reason, /made no download/);
});

test("a protected video is refused a download, at creation and later (FAILED_PRECONDITION)", async () => {
  await assert.rejects(owner.createVideo({ title: "protected", contentProtection: ContentProtection.AES_128, download: true }), failsWith(GrpcStatus.FAILED_PRECONDITION, /protected.*clear content/));
  const video = (await owner.createVideo({ title: "protected", contentProtection: ContentProtection.AES_128 })).video!;
  await makeReady(video, "out1");
  await assert.rejects(owner.requestDownload({ videoId: video.id }), failsWith(GrpcStatus.FAILED_PRECONDITION, /protected/));
  assert.deepEqual(await downloadJobs(video.id), []);
});

test("RequestDownload is the owner's: a stranger gets NOT_FOUND for a private video and PERMISSION_DENIED for a public one; anonymous is UNAUTHENTICATED", async () => {
  const video = (await owner.createVideo({ title: "mine" })).video!;
  await makeReady(video, "out1");
  await assert.rejects(stranger.requestDownload({ videoId: video.id }), failsWith(GrpcStatus.PERMISSION_DENIED, /belongs to someone else/));
  const anonymous = catalogClientFor(credentials, env.address, undefined);
  closers.push(anonymous);
  await assert.rejects(anonymous.requestDownload({ videoId: video.id }), failsWith(GrpcStatus.UNAUTHENTICATED, /signed-in user/));
  const hidden = (await owner.createVideo({ title: "private", visibility: 3 })).video!;
  await makeReady(hidden, "out1");
  await assert.rejects(stranger.requestDownload({ videoId: hidden.id }), failsWith(GrpcStatus.NOT_FOUND, /not found/));
  await assert.rejects(owner.requestDownload({ videoId: "x" }), failsWith(GrpcStatus.INVALID_ARGUMENT, /video_id/));
  assert.deepEqual(await downloadJobs(video.id), []);
  assert.equal((await owner.getVideo({ id: video.id })).video!.download!.state, DownloadState.NONE);
});

test("RequestDownload after READY: PENDING and one download job for the current output; repeated, nothing more; RecordDownload makes it READY", async () => {
  const video = (await owner.createVideo({ title: "later" })).video!;
  await assert.rejects(owner.requestDownload({ videoId: video.id }), failsWith(GrpcStatus.FAILED_PRECONDITION, /UPLOADING.*READY/));
  const ready = await makeReady(video, "outlater");
  const requested = (await owner.requestDownload({ videoId: video.id })).video!;
  assert.equal(requested.download!.state, DownloadState.PENDING);
  assert.ok(requested.version > ready.version, "a change others hear of");
  const again = (await owner.requestDownload({ videoId: video.id })).video!;
  assert.equal(again.version, requested.version, "a repeat while PENDING changes nothing");
  const jobs = await downloadJobs(video.id);
  assert.equal(jobs.length, 1, "exactly one job");
  assert.equal(jobs[0]!.outputId, "outlater");

  await assert.rejects(lifecycle.recordDownload({ videoId: video.id, outputId: "other", download: { state: DownloadState.READY, sizeBytes: 10n } }), failsWith(GrpcStatus.FAILED_PRECONDITION, /no download pending for output other/));
  await assert.rejects(lifecycle.recordDownload({ videoId: video.id, outputId: "outlater", download: { state: DownloadState.READY } }), failsWith(GrpcStatus.INVALID_ARGUMENT, /size_bytes/));
  await assert.rejects(lifecycle.recordDownload({ videoId: video.id, outputId: "outlater", download: { state: DownloadState.PENDING } }), failsWith(GrpcStatus.INVALID_ARGUMENT, /READY or FAILED/));
  const recorded = (await lifecycle.recordDownload({ videoId: video.id, outputId: "outlater", download: { state: DownloadState.READY, sizeBytes: 999n } })).video!;
  assert.equal(recorded.download!.state, DownloadState.READY);
  assert.equal(recorded.download!.path, `/hls/${video.id}/outlater/download.mp4`);
  const repeat = (await lifecycle.recordDownload({ videoId: video.id, outputId: "outlater", download: { state: DownloadState.READY, sizeBytes: 999n } })).video!;
  assert.equal(repeat.version, recorded.version, "a redelivered job's repeat changes nothing");
  await assert.rejects(lifecycle.recordDownload({ videoId: video.id, outputId: "outlater", download: { state: DownloadState.FAILED, reason: "late" } }), failsWith(GrpcStatus.FAILED_PRECONDITION, /no download pending/));
  assert.equal((await owner.requestDownload({ videoId: video.id })).video!.version, recorded.version, "READY already: nothing to do");
  assert.equal((await downloadJobs(video.id)).length, 1);
});

test("a FAILED download is asked for again with a new job; a deleted video's outcome is refused", async () => {
  const video = (await owner.createVideo({ title: "retry", download: true })).video!;
  await makeReady(video, "out1", { state: DownloadState.FAILED, reason: "disk full" });
  const retried = (await owner.requestDownload({ videoId: video.id })).video!;
  assert.equal(retried.download!.state, DownloadState.PENDING);
  assert.equal(retried.download!.reason, "");
  assert.equal((await downloadJobs(video.id)).length, 1);
  await owner.deleteVideo({ id: video.id });
  await assert.rejects(lifecycle.recordDownload({ videoId: video.id, outputId: "out1", download: { state: DownloadState.READY, sizeBytes: 5n } }), failsWith(GrpcStatus.FAILED_PRECONDITION, /DELETED/));
});

test("RecordDownload is the transcoders' alone", async () => {
  const asGateway = createGrpcClient(VideoLifecycleService, env.address, { identity: credentials.minter("gateway") });
  closers.push(asGateway);
  await assert.rejects(asGateway.recordDownload({ videoId: "aaaaaaaaaaaaaaaaaaaa", outputId: "o", download: { state: DownloadState.READY, sizeBytes: 1n } }), failsWith(GrpcStatus.PERMISSION_DENIED, /./));
});
