import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { Visibility, VideoPosterService } from "@kino/proto/catalog/v1";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { requireTestEnv } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let nats: NatsConnection;
const clients: { close(): void }[] = [];

before(async () => {
  env = await startTestCatalog();
  nats = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
});
after(async () => {
  for (const client of clients) client.close();
  await nats.close();
  await env.close();
});

function postersAs(userId: string, role: "user" | "admin" = "user", principal: "gateway" | "transcoder" = "gateway"): GrpcClient<typeof VideoPosterService> {
  const client = createGrpcClient(VideoPosterService, env.address, { identity: testServiceCredentials().minter(principal) });
  clients.push(client);
  return withCallOptions(client, { onBehalfOf: { userId, role } });
}

async function refused(promise: Promise<unknown>, code: GrpcStatus, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `${GrpcStatus[error.code]}: ${error.details}`);
    assert.match(error.details, message);
    return true;
  });
}

async function readyVideo(owner: string, visibility = Visibility.PUBLIC) {
  const { video } = await env.clientAs(owner).createVideo({ title: "poster", visibility });
  const videoId = video!.id;
  const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
  await env.lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  await env.lifecycle.startProcessing({ videoId });
  return (await env.lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 2 })).video!;
}

const file = "0123456789abcdef0123456789abcdef.jpg";

test("the owner sets and clears a poster: poster_path follows, each change is a version and a video.updated event", async () => {
  const video = await readyVideo("alice-posters");
  const alice = postersAs("alice-posters");
  const set = await alice.setVideoPoster({ videoId: video.id, outputId: "out1", posterFile: file });
  assert.equal(set.video!.posterPath, `/hls/${video.id}/out1/posters/${file}`);
  assert.equal(set.replacedPosterFile, "");
  const next = "fedcba9876543210fedcba9876543210.jpg";
  const replaced = await alice.setVideoPoster({ videoId: video.id, outputId: "out1", posterFile: next });
  assert.equal(replaced.replacedPosterFile, file);
  const cleared = await alice.clearVideoPoster({ videoId: video.id });
  assert.equal(cleared.video!.posterPath, `/hls/${video.id}/out1/poster.jpg`);
  assert.equal(cleared.replacedPosterFile, next);
  assert.equal((await alice.clearVideoPoster({ videoId: video.id })).replacedPosterFile, "", "clearing twice changes nothing");

  await env.catalog.outbox.drained(5000);
  const jsm = await nats.jetstreamManager();
  const info = await jsm.streams.info(env.topology.streams.events);
  const updates = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(env.topology.streams.events, { seq }).catch(() => undefined);
    const event = message && fromBinary(VideoEventSchema, message.data);
    if (event?.videoId === video.id && event.kind.case === "updated") updates.push(event.video!.posterPath);
  }
  assert.deepEqual(updates, [`/hls/${video.id}/out1/posters/${file}`, `/hls/${video.id}/out1/posters/${next}`, `/hls/${video.id}/out1/poster.jpg`]);
});

test("only the owner or an admin, only a READY video's current output, only a hash-named file", async () => {
  const video = await readyVideo("alice-posters");
  const hidden = await readyVideo("alice-posters", Visibility.PRIVATE);
  const bob = postersAs("bob-posters");
  await refused(bob.setVideoPoster({ videoId: video.id, outputId: "out1", posterFile: file }), GrpcStatus.PERMISSION_DENIED, /belongs to someone else/);
  await refused(bob.clearVideoPoster({ videoId: video.id }), GrpcStatus.PERMISSION_DENIED, /belongs to someone else/);
  await refused(bob.setVideoPoster({ videoId: hidden.id, outputId: "out1", posterFile: file }), GrpcStatus.NOT_FOUND, /not found/);
  const admin = postersAs("the-admin", "admin");
  assert.equal((await admin.setVideoPoster({ videoId: hidden.id, outputId: "out1", posterFile: file })).video!.posterPath, `/hls/${hidden.id}/out1/posters/${file}`);

  const alice = postersAs("alice-posters");
  await refused(alice.setVideoPoster({ videoId: video.id, outputId: "out2", posterFile: file }), GrpcStatus.FAILED_PRECONDITION, /no longer plays from output out2/);
  for (const bad of ["../../etc/passwd", "poster.jpg", "0123456789abcdef.png", "0123456789ABCDEF.jpg"]) {
    await refused(alice.setVideoPoster({ videoId: video.id, outputId: "out1", posterFile: bad }), GrpcStatus.INVALID_ARGUMENT, /poster_file/);
  }
  const { video: processing } = await env.clientAs("alice-posters").createVideo({ title: "not yet" });
  await refused(alice.setVideoPoster({ videoId: processing!.id, outputId: "out1", posterFile: file }), GrpcStatus.FAILED_PRECONDITION, /UPLOADING/);
  // Signed by another service, the call is refused whoever it names.
  const transcoder = postersAs("alice-posters", "user", "transcoder");
  await refused(transcoder.setVideoPoster({ videoId: video.id, outputId: "out1", posterFile: file }), GrpcStatus.PERMISSION_DENIED, /./);
});
