import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    return true;
  });
}

describe("catalog service over gRPC", () => {
  let env: TestCatalog;
  let alice: CatalogClient;
  let bob: CatalogClient;
  let anonymous: CatalogClient;

  before(async () => {
    env = await startTestCatalog();
    alice = env.clientAs("alice");
    bob = env.clientAs("bob");
    anonymous = env.clientAs(undefined);
  });
  after(() => env.close());

  test("create, get, update and delete a video", async () => {
    const { video } = await alice.createVideo({ title: "  My first video ", description: "hello" });
    assert.ok(video);
    assert.match(video.id, /^[a-z0-9]{20}$/);
    assert.equal(video.title, "My first video");
    assert.equal(video.ownerId, "alice");
    assert.equal(video.status, VideoStatus.UPLOADING);
    assert.equal(video.version, 1n);

    const got = await alice.getVideo({ id: video.id });
    assert.equal(got.video?.description, "hello");

    const updated = await alice.updateVideo({ id: video.id, title: "Renamed" });
    assert.equal(updated.video?.title, "Renamed");
    assert.equal(updated.video?.description, "hello", "absent fields stay as they were");
    assert.equal(updated.video?.version, 2n);

    await alice.deleteVideo({ id: video.id });
    await rejectsWith(alice.getVideo({ id: video.id }), GrpcStatus.NOT_FOUND);
    await rejectsWith(alice.deleteVideo({ id: video.id }), GrpcStatus.NOT_FOUND);
  });

  test("a video that is not READY is invisible to everyone but its owner", async () => {
    const { video } = await alice.createVideo({ title: "private until ready" });
    await rejectsWith(bob.getVideo({ id: video!.id }), GrpcStatus.NOT_FOUND);
    await rejectsWith(anonymous.getVideo({ id: video!.id }), GrpcStatus.NOT_FOUND);
    const listed = await bob.listVideos({ ownerId: "alice" });
    assert.ok(!listed.videos.some((v) => v.id === video!.id));
    await rejectsWith(bob.updateVideo({ id: video!.id, title: "mine now" }), GrpcStatus.NOT_FOUND);
    await rejectsWith(bob.deleteVideo({ id: video!.id }), GrpcStatus.NOT_FOUND);
    assert.equal((await alice.getVideo({ id: video!.id })).video?.title, "private until ready");
  });

  test("writes need an authenticated caller", async () => {
    await rejectsWith(anonymous.createVideo({ title: "x" }), GrpcStatus.UNAUTHENTICATED);
  });

  test("validation errors name the field", async () => {
    await rejectsWith(alice.createVideo({ title: "" }), GrpcStatus.INVALID_ARGUMENT, /title must not be empty/);
    await rejectsWith(alice.createVideo({ title: "   " }), GrpcStatus.INVALID_ARGUMENT, /title must not be empty/);
    await rejectsWith(alice.createVideo({ title: "x".repeat(201) }), GrpcStatus.INVALID_ARGUMENT, /at most 200 characters, got 201/);
    const ok = await alice.createVideo({ title: "é".repeat(200) });
    assert.equal([...ok.video!.title].length, 200, "200 characters is allowed, counted as characters not bytes");
    await rejectsWith(alice.createVideo({ title: "line\nbreak" }), GrpcStatus.INVALID_ARGUMENT, /control characters/);
    await rejectsWith(alice.getVideo({ id: "" }), GrpcStatus.INVALID_ARGUMENT, /id is required/);
    await rejectsWith(alice.getVideo({ id: "abcdefghij0123456789" }), GrpcStatus.NOT_FOUND, /not found/);
    await rejectsWith(alice.getVideo({ id: "../../etc/passwd" }), GrpcStatus.INVALID_ARGUMENT, /id must be a video id/);
    await rejectsWith(alice.listVideos({ pageToken: "not-a-token" }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
    await rejectsWith(alice.listVideos({ pageToken: Buffer.from('{"v":1,"s":"1; drop table videos"}').toString("base64url") }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
    await rejectsWith(alice.listVideos({ pageSize: 101 }), GrpcStatus.INVALID_ARGUMENT, /page_size/);
  });

  test("two concurrent conditional updates: one wins, the other gets a conflict", async () => {
    const { video } = await alice.createVideo({ title: "contested" });
    const results = await Promise.allSettled([
      alice.updateVideo({ id: video!.id, title: "first", expectedVersion: video!.version }),
      alice.updateVideo({ id: video!.id, title: "second", expectedVersion: video!.version }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.reason.code, GrpcStatus.ABORTED);
    assert.match(lost[0]!.reason.details, /changed concurrently: expected version 1, now 2/);
    const final = await alice.getVideo({ id: video!.id });
    assert.equal(final.video?.version, 2n);
    assert.equal(final.video?.title, (won[0] as PromiseFulfilledResult<{ video: { title: string } }>).value.video.title);
  });

  test("unconditional concurrent updates of different fields both land", async () => {
    const { video } = await alice.createVideo({ title: "t0", description: "d0" });
    await Promise.all([
      alice.updateVideo({ id: video!.id, title: "t1" }),
      alice.updateVideo({ id: video!.id, description: "d1" }),
    ]);
    const final = (await alice.getVideo({ id: video!.id })).video!;
    assert.equal(final.title, "t1");
    assert.equal(final.description, "d1");
    assert.equal(final.version, 3n);
  });
});
