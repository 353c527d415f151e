import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient, createHealthClient } from "@kino/grpc";
import { testServiceCredentials, untrustedMinter } from "@kino/grpc/testing";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { startTestCatalog, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
const clients: { close(): void }[] = [];
const credentials = testServiceCredentials();
const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };

before(async () => {
  env = await startTestCatalog();
});
after(async () => {
  for (const client of clients) client.close();
  await env.close();
});

function track<T extends { close(): void }>(client: T): T {
  clients.push(client);
  return client;
}

const failsWith = (code: GrpcStatus, pattern: RegExp) => (error: { code?: number; details?: string }) => {
  assert.equal(error.code, code, error.details);
  assert.match(error.details ?? "", pattern);
  return true;
};

async function uploadedVideo(): Promise<string> {
  const { video } = await env.clientAs("alice").createVideo({ title: "identity" });
  await env.lifecycle.markUploaded({ videoId: video!.id, sourceKey: `raw/${video!.id}/source`, source });
  await env.lifecycle.startProcessing({ videoId: video!.id });
  return video!.id;
}

test("a bare caller header, with no assertion, is Unauthenticated on every method, streaming included", async () => {
  const bare = track(createGrpcClient(CatalogService, env.address));
  const forged = { headers: { "kino-caller-id": "alice", "x-kino-user": "alice" } };
  await assert.rejects(bare.createVideo({ title: "forged" }, forged), failsWith(GrpcStatus.UNAUTHENTICATED, /signed caller assertion/));
  await assert.rejects(bare.listVideos({ ownerId: "alice" }, forged), failsWith(GrpcStatus.UNAUTHENTICATED, /signed caller assertion/));
  const stream = bare.watchVideo({ id: "abcdefghij0123456789" }, forged);
  await assert.rejects(
    (async () => {
      for await (const _ of stream) break;
    })(),
    failsWith(GrpcStatus.UNAUTHENTICATED, /signed caller assertion/),
  );
  const lifecycle = track(createGrpcClient(VideoLifecycleService, env.address));
  const videoId = await uploadedVideo();
  await assert.rejects(lifecycle.markReady({ videoId, outputId: "invented", durationSeconds: 2 }, forged), failsWith(GrpcStatus.UNAUTHENTICATED, /assertion/));
});

test("an assertion signed by a key the catalog does not trust is Unauthenticated, whatever name it claims", async () => {
  const impostor = track(createGrpcClient(CatalogService, env.address, { identity: untrustedMinter("gateway") }));
  await assert.rejects(impostor.createVideo({ title: "forged" }, { onBehalfOf: { userId: "alice" } }), failsWith(GrpcStatus.UNAUTHENTICATED, /does not trust/));
  const fakeTranscoder = track(createGrpcClient(VideoLifecycleService, env.address, { identity: untrustedMinter("transcoder") }));
  const videoId = await uploadedVideo();
  await assert.rejects(fakeTranscoder.markReady({ videoId, outputId: "invented", durationSeconds: 2 }), failsWith(GrpcStatus.UNAUTHENTICATED, /does not trust/));
});

test("MarkReady for a user's valid call is PermissionDenied, from the gateway too; with the transcoder's identity it works", async () => {
  const videoId = await uploadedVideo();
  const viaGateway = track(createGrpcClient(VideoLifecycleService, env.address, { identity: credentials.minter("gateway") }));
  await assert.rejects(
    viaGateway.markReady({ videoId, outputId: "invented", durationSeconds: 2 }, { onBehalfOf: { userId: "alice" } }),
    failsWith(GrpcStatus.PERMISSION_DENIED, /not open to the gateway/),
  );
  await assert.rejects(viaGateway.markReady({ videoId, outputId: "invented", durationSeconds: 2 }), failsWith(GrpcStatus.PERMISSION_DENIED, /not open to the gateway/));
  const transcoderForUser = track(createGrpcClient(VideoLifecycleService, env.address, { identity: credentials.minter("transcoder") }));
  await assert.rejects(
    transcoderForUser.markReady({ videoId, outputId: "attempt1", durationSeconds: 2 }, { onBehalfOf: { userId: "alice" } }),
    failsWith(GrpcStatus.PERMISSION_DENIED, /internal/),
  );
  const still = await env.clientAs("alice").getVideo({ id: videoId });
  assert.equal(still.video!.playbackPath, "", "nothing was published by the refused calls");

  const { video } = await transcoderForUser.markReady({ videoId, outputId: "attempt1", durationSeconds: 2 });
  assert.match(video!.playbackPath, /attempt1/);
});

test("a transcoder's identity cannot act for users on the public API, nor the gateway create videos as itself and claim someone's", async () => {
  const transcoder = track(createGrpcClient(CatalogService, env.address, { identity: credentials.minter("transcoder") }));
  await assert.rejects(transcoder.createVideo({ title: "x" }, { onBehalfOf: { userId: "alice" } }), failsWith(GrpcStatus.PERMISSION_DENIED, /not open to the transcoder/));
  const gateway = track(createGrpcClient(CatalogService, env.address, { identity: credentials.minter("gateway") }));
  await assert.rejects(gateway.createVideo({ title: "x" }, { headers: { "kino-caller-id": "alice" } }), failsWith(GrpcStatus.UNAUTHENTICATED, /authenticated caller/));
});

test("health checks stay open to orchestrators without an assertion", async () => {
  const health = track(createHealthClient(env.address));
  await health.check(CatalogService.typeName);
  await health.check(VideoLifecycleService.typeName);
});
