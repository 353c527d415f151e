import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { RenditionState, VideoLifecycleService, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let owner: CatalogClient;
let stranger: CatalogClient;

before(async () => {
  env = await startTestCatalog();
  owner = env.clientAs("fast-publish-owner");
  stranger = env.clientAs("fast-publish-stranger");
});
after(() => env.close());

const source = { durationSeconds: 6, width: 640, height: 360, frameRate: 30, hasAudio: true, sizeBytes: 1234n, videoCodec: "h264" };
const measured = { bandwidth: 900_000, averageBandwidth: 700_000, frameRate: 30 };
const passthrough = { name: "source", width: 640, height: 360, ...measured, codecs: "avc1.64001e,mp4a.40.2", state: RenditionState.READY, passthrough: true };
const pending = (name: string, height: number, state = RenditionState.PENDING) => ({ name, width: 2 * Math.round((height * 16) / 18), height, frameRate: 30, state });
const encoded = (name: string, height: number) => ({ name, width: 2 * Math.round((height * 16) / 18), height, ...measured, codecs: "avc1.4d401e,mp4a.40.2", state: RenditionState.READY });

async function processingVideo(): Promise<Video> {
  const { video } = await owner.createVideo({ title: "fast publish" });
  await env.lifecycle.markUploaded({ videoId: video!.id, sourceKey: `raw/${video!.id}/source`, source });
  const started = await env.lifecycle.startProcessing({ videoId: video!.id });
  assert.equal(started.publishedOutputId, "", "nothing is published yet");
  return started.video!;
}

async function refusedWith(promise: Promise<unknown>, code: GrpcStatus, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, error.details);
    assert.match(error.details, message);
    return true;
  });
}

test("a PROCESSING video plays from its first published rung, with per-rendition state and progress, and stays on that attempt until READY", async () => {
  const { id } = await processingVideo();
  assert.equal((await env.lifecycle.getPlayback({ videoId: id })).outputId, "", "not playable before a publish");

  const ladder = [passthrough, pending("360p", 360, RenditionState.ENCODING), pending("240p", 240, RenditionState.ENCODING)];
  const published = (await env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: ladder })).video!;
  assert.equal(published.status, VideoStatus.PROCESSING);
  assert.equal(published.playable, true);
  assert.equal(published.playbackPath, `/hls/${id}/attempt1/master.m3u8`);
  assert.deepEqual(
    published.renditions.map((r) => [r.name, RenditionState[r.state], r.passthrough]),
    [["source", "READY", true], ["360p", "ENCODING", false], ["240p", "ENCODING", false]],
  );
  const playback = await env.lifecycle.getPlayback({ videoId: id });
  assert.equal(playback.outputId, "attempt1", "the origin serves a playable PROCESSING video");
  assert.equal(playback.ownerId, "fast-publish-owner");

  await env.lifecycle.reportProgress({ videoId: id, percent: 40, fps: 90, speed: 3 });
  const seen = (await owner.getVideo({ id })).video!;
  assert.equal(seen.playable, true);
  assert.equal(seen.progress?.percent, 40, "progress is still reported while playable");
  await refusedWith(stranger.getVideo({ id }), GrpcStatus.NOT_FOUND, /not found/);

  // A redelivered job learns which attempt plays, so it carries on with it instead of racing.
  const redelivered = await env.lifecycle.startProcessing({ videoId: id });
  assert.equal(redelivered.alreadyDone, false);
  assert.equal(redelivered.publishedOutputId, "attempt1");

  await refusedWith(
    env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt2", durationSeconds: 6, renditions: [encoded("240p", 240)] }),
    GrpcStatus.FAILED_PRECONDITION,
    /already plays from another attempt/,
  );
  await refusedWith(
    env.lifecycle.markReady({ videoId: id, outputId: "attempt2", durationSeconds: 6, renditions: [encoded("240p", 240)] }),
    GrpcStatus.FAILED_PRECONDITION,
    /already plays from another attempt/,
  );

  const republished = (
    await env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [passthrough, encoded("360p", 360), pending("240p", 240, RenditionState.ENCODING)] })
  ).video!;
  assert.ok(republished.version > published.version, "a republish is a change watchers see");
  assert.deepEqual(republished.renditions.map((r) => RenditionState[r.state]), ["READY", "READY", "ENCODING"]);

  const ready = (await env.lifecycle.markReady({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [encoded("360p", 360), encoded("240p", 240)] })).video!;
  assert.equal(ready.status, VideoStatus.READY);
  assert.equal(ready.playable, true);
  assert.equal(ready.playbackPath, published.playbackPath, "the playback path never changes once it plays");
  assert.deepEqual(ready.renditions.map((r) => [r.name, RenditionState[r.state], r.passthrough]), [["360p", "READY", false], ["240p", "READY", false]]);

  const late = await env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: ladder });
  assert.equal(late.video?.status, VideoStatus.READY, "a late republish after READY is harmless");
  assert.equal(late.video?.renditions.length, 2, "and changes nothing");
});

test("bad ladders are refused with a reason, and a failed or deleted video never plays", async () => {
  const { id } = await processingVideo();
  await refusedWith(
    env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [pending("360p", 360)] }),
    GrpcStatus.INVALID_ARGUMENT,
    /at least one READY/,
  );
  await refusedWith(
    env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [{ ...encoded("360p", 360), name: "../x" }] }),
    GrpcStatus.INVALID_ARGUMENT,
    /rendition names/,
  );
  await refusedWith(
    env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [{ ...encoded("360p", 360), state: RenditionState.UNSPECIFIED }] }),
    GrpcStatus.INVALID_ARGUMENT,
    /needs a state/,
  );
  await refusedWith(
    env.lifecycle.markReady({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [passthrough] }),
    GrpcStatus.INVALID_ARGUMENT,
    /encoded READY rungs only/,
  );
  await refusedWith(env.lifecycle.publishRenditions({ videoId: id, outputId: "a/b", durationSeconds: 6, renditions: [passthrough] }), GrpcStatus.INVALID_ARGUMENT, /output_id/);

  await env.lifecycle.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [passthrough] });
  const failed = (await env.lifecycle.markFailed({ videoId: id, reason: "the ladder could not be encoded" })).video!;
  assert.equal(failed.playable, false);
  assert.equal((await env.lifecycle.getPlayback({ videoId: id })).outputId, "");

  const other = await processingVideo();
  await env.lifecycle.publishRenditions({ videoId: other.id, outputId: "attempt1", durationSeconds: 6, renditions: [passthrough] });
  await owner.deleteVideo({ id: other.id });
  assert.equal((await env.lifecycle.getPlayback({ videoId: other.id })).outputId, "", "a deleted video is dark at once");
});

test("only a transcoder may publish renditions", async () => {
  const { id } = await processingVideo();
  const credentials = testServiceCredentials();
  const asGateway = createGrpcClient(VideoLifecycleService, env.address, { identity: credentials.minter("gateway") });
  try {
    await refusedWith(
      asGateway.publishRenditions({ videoId: id, outputId: "attempt1", durationSeconds: 6, renditions: [passthrough] }),
      GrpcStatus.PERMISSION_DENIED,
      /publishRenditions|PublishRenditions|not open/i,
    );
  } finally {
    asGateway.close();
  }
  assert.equal((await owner.getVideo({ id })).video?.playable, false);
});
