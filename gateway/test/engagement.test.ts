import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { lifecycleClientFor } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { CatalogService, EngagementService, Visibility } from "@kino/proto/catalog/v1";
import { alice, bob, startTestStack, type TestStack } from "./start-test-stack.ts";

let stack: TestStack;
let engagement: Client<typeof EngagementService>;
let catalog: Client<typeof CatalogService>;

before(async () => {
  stack = await startTestStack();
  engagement = createClient(EngagementService, createConnectTransport({ baseUrl: stack.baseUrl, httpVersion: "1.1" }));
  catalog = createClient(CatalogService, createConnectTransport({ baseUrl: stack.baseUrl, httpVersion: "1.1" }));
});
after(() => stack.close());

const as = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });

async function rejects(call: Promise<unknown>, code: Code, message?: RegExp): Promise<ConnectError> {
  let caught: ConnectError | undefined;
  await assert.rejects(call, (error: unknown) => {
    caught = ConnectError.from(error);
    assert.equal(caught.code, code, `${Code[caught.code]}: ${caught.rawMessage}`);
    if (message) assert.match(caught.rawMessage, message);
    return true;
  });
  return caught!;
}

async function readyVideo(visibility: Visibility): Promise<string> {
  const { video } = await catalog.createVideo({ title: "engaging", visibility }, as(alice.apiKey));
  const id = video!.id;
  const lifecycle = lifecycleClientFor(testServiceCredentials(), `127.0.0.1:${stack.catalog.grpcPort}`);
  try {
    await lifecycle.markUploaded({ videoId: id, sourceKey: `raw/${id}/source`, source: { durationSeconds: 60, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" } });
    await lifecycle.startProcessing({ videoId: id });
    await lifecycle.markReady({ videoId: id, outputId: "out1", durationSeconds: 60 });
  } finally {
    lifecycle.close();
  }
  return id;
}

test("through the public door: bob likes and comments on alice's public video, anonymous viewers read, nobody anonymous writes", async () => {
  const videoId = await readyVideo(Visibility.PUBLIC);
  assert.equal((await engagement.likeVideo({ videoId }, as(bob.apiKey))).likeCount, 1n);
  assert.equal((await engagement.likeVideo({ videoId }, as(bob.accessToken))).likeCount, 1n, "the same user with another credential is the same like");
  const { comment } = await engagement.createComment({ videoId, text: "hello from bob" }, as(bob.accessToken));
  assert.equal(comment!.authorId, bob.userId);

  const anonymousView = await engagement.getVideoEngagement({ videoId });
  assert.deepEqual([anonymousView.likeCount, anonymousView.liked, anonymousView.commentCount], [1n, false, 1n]);
  assert.deepEqual((await engagement.listComments({ videoId })).threads.map((t) => t.comment!.text), ["hello from bob"]);
  assert.equal((await engagement.getVideoEngagement({ videoId }, as(bob.apiKey))).liked, true);

  await rejects(engagement.likeVideo({ videoId }), Code.Unauthenticated);
  await rejects(engagement.createComment({ videoId, text: "anonymous" }), Code.Unauthenticated);
  await rejects(engagement.updateComment({ commentId: comment!.id, text: "alice edits" }, as(alice.apiKey)), Code.PermissionDenied);
  await rejects(engagement.createComment({ videoId, text: "x".repeat(2001) }, as(bob.apiKey)), Code.InvalidArgument, /^comment_text_too_long/);
  await engagement.setCommentHidden({ commentId: comment!.id, hidden: true }, as(alice.apiKey));
  assert.deepEqual((await engagement.listComments({ videoId })).threads, [], "hidden from anonymous viewers");
});

test("alice's private video: bob cannot like it, comment on it or read its comments, over gRPC too", async () => {
  const videoId = await readyVideo(Visibility.PRIVATE);
  await engagement.createComment({ videoId, text: "private note" }, as(alice.apiKey));
  const grpc = createClient(EngagementService, createGrpcTransport({ baseUrl: stack.baseUrl }));
  for (const client of [engagement, grpc]) {
    await rejects(client.likeVideo({ videoId }, as(bob.apiKey)), Code.NotFound);
    await rejects(client.createComment({ videoId, text: "let me in" }, as(bob.apiKey)), Code.NotFound);
    await rejects(client.listComments({ videoId }, as(bob.apiKey)), Code.NotFound);
    await rejects(client.getVideoEngagement({ videoId }), Code.NotFound);
  }
  assert.equal((await engagement.listComments({ videoId }, as(alice.apiKey))).threads.length, 1);
});

test("resume position, history and a playlist through the gateway; the comment rate limit answers ResourceExhausted with retry-after", async () => {
  const videoId = await readyVideo(Visibility.PUBLIC);
  await engagement.setPlaybackPosition({ videoId, positionMs: 12_345n }, as(bob.apiKey));
  assert.equal((await engagement.getPlaybackPosition({ videoId }, as(bob.apiKey))).positionMs, 12_345n);
  assert.equal((await engagement.listWatchHistory({}, as(bob.apiKey))).entries[0]!.videoId, videoId);
  await rejects(engagement.listWatchHistory({}), Code.Unauthenticated);

  const { playlist } = await engagement.createPlaylist({ title: "bob's", visibility: Visibility.PUBLIC }, as(bob.apiKey));
  await engagement.addPlaylistItem({ playlistId: playlist!.id, videoId }, as(bob.apiKey));
  assert.deepEqual((await engagement.listPlaylistItems({ playlistId: playlist!.id })).items.map((i) => i.videoId), [videoId]);
  assert.deepEqual((await engagement.listPlaylists({ ownerId: bob.userId })).playlists.map((p) => p.id), [playlist!.id]);

  // The catalog's default: 10 comments a minute per user, counted across videos (alice's comment in the test before counts too).
  let refused: ConnectError | undefined;
  for (let i = 0; i < 12 && !refused; i++) {
    try {
      await engagement.createComment({ videoId, text: `comment ${i}` }, as(alice.apiKey));
    } catch (error) {
      refused = ConnectError.from(error);
    }
  }
  assert.ok(refused, "the limit was reached");
  assert.equal(refused.code, Code.ResourceExhausted, refused.rawMessage);
  assert.match(refused.rawMessage, /at most 10 comments a minute; retry after \d+ s/);
  assert.match(refused.metadata.get("retry-after") ?? "", /^\d+$/);
});
