import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { Visibility, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

let env: TestCatalog;
let alice: CatalogClient;
let bob: CatalogClient;
let anonymous: CatalogClient;

after(() => env.close());

async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    return true;
  });
}

const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };

/** A video of alice's taken through the pipeline to READY. */
async function readyVideo(title: string, visibility: Visibility): Promise<Video> {
  const { video } = await alice.createVideo({ title, visibility });
  const videoId = video!.id;
  await env.lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  await env.lifecycle.startProcessing({ videoId });
  return (await env.lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 2 })).video!;
}

/** Every video `client` is listed, over all pages, with the given filters. */
async function listAll(client: CatalogClient, filters: { ownerId?: string; status?: VideoStatus } = {}): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = "";
  do {
    const page = await client.listVideos({ ...filters, pageSize: 2, pageToken });
    ids.push(...page.videos.map((v) => v.id));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return ids;
}

async function watchFirst(client: CatalogClient, id: string): Promise<Video> {
  for await (const message of client.watchVideo({ id })) return message.video!;
  throw new Error("the watch ended without a message");
}

let publicVideo: Video;
let unlisted: Video;
let secret: Video;

before(async () => {
  env = await startTestCatalog();
  alice = env.clientAs("alice");
  bob = env.clientAs("bob");
  anonymous = env.clientAs(undefined);
  publicVideo = await readyVideo("public", Visibility.PUBLIC);
  unlisted = await readyVideo("unlisted", Visibility.UNLISTED);
  secret = await readyVideo("private", Visibility.PRIVATE);
});

test("a video is created public unless it says otherwise; an unknown visibility is refused", async () => {
  const { video } = await alice.createVideo({ title: "no visibility given" });
  assert.equal(video!.visibility, Visibility.PUBLIC);
  assert.equal(publicVideo.visibility, Visibility.PUBLIC);
  assert.equal(unlisted.visibility, Visibility.UNLISTED);
  assert.equal(secret.visibility, Visibility.PRIVATE);
  await rejectsWith(alice.createVideo({ title: "x", visibility: 7 as Visibility }), GrpcStatus.INVALID_ARGUMENT, /visibility must be/);
  await rejectsWith(alice.updateVideo({ id: video!.id, visibility: Visibility.UNSPECIFIED }), GrpcStatus.INVALID_ARGUMENT, /visibility must be/);
});

test("B cannot get, list, update, delete or watch A's private video: to B it does not exist", async () => {
  for (const [who, client] of [["bob", bob], ["anonymous", anonymous]] as const) {
    await rejectsWith(client.getVideo({ id: secret.id }), GrpcStatus.NOT_FOUND, /not found/);
    await rejectsWith(watchFirst(client, secret.id), GrpcStatus.NOT_FOUND, /not found/);
    assert.ok(!(await listAll(client)).includes(secret.id), `${who}'s listing`);
    assert.ok(!(await listAll(client, { ownerId: "alice" })).includes(secret.id), `${who}'s listing of alice`);
    assert.ok(!(await listAll(client, { ownerId: "alice", status: VideoStatus.READY })).includes(secret.id), `${who}'s listing of alice's READY videos`);
  }
  await rejectsWith(bob.updateVideo({ id: secret.id, title: "mine now" }), GrpcStatus.NOT_FOUND, /not found/);
  await rejectsWith(bob.updateVideo({ id: secret.id, visibility: Visibility.PUBLIC }), GrpcStatus.NOT_FOUND, /not found/);
  await rejectsWith(bob.deleteVideo({ id: secret.id }), GrpcStatus.NOT_FOUND, /not found/);
  const mine = (await alice.getVideo({ id: secret.id })).video!;
  assert.deepEqual([mine.title, mine.status, mine.visibility, mine.version], ["private", VideoStatus.READY, Visibility.PRIVATE, secret.version]);
  assert.equal((await watchFirst(alice, secret.id)).id, secret.id);
});

test("an unlisted video is gettable and watchable by id but absent from every listing for others", async () => {
  for (const client of [bob, anonymous]) {
    assert.equal((await client.getVideo({ id: unlisted.id })).video?.title, "unlisted");
    assert.equal((await watchFirst(client, unlisted.id)).visibility, Visibility.UNLISTED);
    for (const filters of [{}, { ownerId: "alice" }, { status: VideoStatus.READY }, { ownerId: "alice", status: VideoStatus.READY }]) {
      const listed = await listAll(client, filters);
      assert.ok(!listed.includes(unlisted.id), `listed with ${JSON.stringify(filters)}`);
      assert.ok(listed.includes(publicVideo.id), `the public video is listed with ${JSON.stringify(filters)}`);
    }
  }
  // Seen but not owned: the owner's rights are refused as such.
  await rejectsWith(bob.updateVideo({ id: unlisted.id, title: "mine now" }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(bob.deleteVideo({ id: unlisted.id }), GrpcStatus.PERMISSION_DENIED);
});

test("the owner's own listing shows every visibility and status", async () => {
  const { video: uploading } = await alice.createVideo({ title: "still uploading", visibility: Visibility.PRIVATE });
  const own = await listAll(alice, { ownerId: "alice" });
  for (const video of [publicVideo, unlisted, secret, uploading!]) assert.ok(own.includes(video.id), video.title);
  assert.ok((await listAll(alice)).includes(secret.id), "without an owner filter too");
  assert.ok(!(await listAll(bob, { ownerId: "alice" })).includes(uploading!.id));
});

test("changing visibility bumps the version, honours expected_version, and takes effect at once", async () => {
  const video = await readyVideo("changing", Visibility.PUBLIC);
  assert.ok((await listAll(bob, { ownerId: "alice" })).includes(video.id));

  const unlistedNow = (await alice.updateVideo({ id: video.id, visibility: Visibility.UNLISTED, expectedVersion: video.version })).video!;
  assert.deepEqual([unlistedNow.visibility, unlistedNow.version, unlistedNow.title], [Visibility.UNLISTED, video.version + 1n, "changing"]);
  assert.ok(!(await listAll(bob, { ownerId: "alice" })).includes(video.id));
  assert.equal((await bob.getVideo({ id: video.id })).video?.visibility, Visibility.UNLISTED);

  await rejectsWith(alice.updateVideo({ id: video.id, visibility: Visibility.PRIVATE, expectedVersion: video.version }), GrpcStatus.ABORTED, /changed concurrently/);
  assert.equal((await alice.getVideo({ id: video.id })).video?.visibility, Visibility.UNLISTED, "a refused update changes nothing");

  await alice.updateVideo({ id: video.id, visibility: Visibility.PRIVATE });
  await rejectsWith(bob.getVideo({ id: video.id }), GrpcStatus.NOT_FOUND);
  assert.deepEqual(await env.lifecycle.getPlayback({ videoId: video.id }).then((p) => [p.outputId, p.visibility, p.ownerId]), ["out1", Visibility.PRIVATE, "alice"]);

  const titled = (await alice.updateVideo({ id: video.id, title: "renamed" })).video!;
  assert.equal(titled.visibility, Visibility.PRIVATE, "an update without visibility leaves it as it was");
  await alice.updateVideo({ id: video.id, visibility: Visibility.PUBLIC });
  assert.equal((await bob.getVideo({ id: video.id })).video?.title, "renamed");
});

test("GetPlayback tells the origin the visibility and owner of READY videos only", async () => {
  for (const video of [publicVideo, unlisted, secret]) {
    const playback = await env.lifecycle.getPlayback({ videoId: video.id });
    assert.deepEqual([playback.outputId, playback.visibility, playback.ownerId], ["out1", video.visibility, "alice"], video.title);
  }
  const { video: unfinished } = await alice.createVideo({ title: "unfinished", visibility: Visibility.UNLISTED });
  const playback = await env.lifecycle.getPlayback({ videoId: unfinished!.id });
  assert.deepEqual([playback.outputId, playback.visibility, playback.ownerId], ["", Visibility.UNSPECIFIED, ""]);
});
