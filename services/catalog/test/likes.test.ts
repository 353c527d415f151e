import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { Visibility } from "@kino/proto/catalog/v1";
import { rejectsWith, startEngagementCatalog, type EngagementTestCatalog } from "./start-engagement-catalog.ts";

let env: EngagementTestCatalog;

before(async () => {
  env = await startEngagementCatalog();
});
after(() => env.close());

test("50 users liking and unliking at once leave the exact count; a second like by one user changes nothing", async () => {
  const video = await env.readyVideo("owner1");
  const users = Array.from({ length: 50 }, (_, i) => env.engagementAs(`liker${i}`));
  // Everyone likes at once; then the even ones unlike while the odd ones like again, all at once.
  await Promise.all(users.map((user) => user.likeVideo({ videoId: video.id })));
  assert.equal((await users[0]!.getVideoEngagement({ videoId: video.id })).likeCount, 50n);
  await Promise.all(users.map((user, i) => (i % 2 === 0 ? user.unlikeVideo({ videoId: video.id }) : user.likeVideo({ videoId: video.id }))));
  const engagement = await env.engagementAs(undefined).getVideoEngagement({ videoId: video.id });
  assert.equal(engagement.likeCount, 25n);
  assert.equal(engagement.liked, false, "an anonymous viewer likes nothing");

  const odd = users[1]!;
  assert.equal((await odd.likeVideo({ videoId: video.id })).likeCount, 25n, "liking again changes nothing");
  assert.equal((await odd.getVideoEngagement({ videoId: video.id })).liked, true);
  const even = users[0]!;
  assert.equal((await even.unlikeVideo({ videoId: video.id })).likeCount, 25n, "unliking without a like changes nothing");
  assert.equal((await even.getVideoEngagement({ videoId: video.id })).liked, false);
  // The same user liking 10 times in parallel is still one like.
  await Promise.all(Array.from({ length: 10 }, () => even.likeVideo({ videoId: video.id })));
  assert.equal((await even.getVideoEngagement({ videoId: video.id })).likeCount, 26n);
});

test("a private video: others cannot like it or read its counts; its owner can", async () => {
  const video = await env.readyVideo("owner2", Visibility.PRIVATE);
  const bob = env.engagementAs("bob");
  await rejectsWith(bob.likeVideo({ videoId: video.id }), GrpcStatus.NOT_FOUND, /not found/);
  await rejectsWith(bob.getVideoEngagement({ videoId: video.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(env.engagementAs(undefined).getVideoEngagement({ videoId: video.id }), GrpcStatus.NOT_FOUND);
  assert.equal((await env.engagementAs("owner2").likeVideo({ videoId: video.id })).likeCount, 1n);
  // Unlisted: anyone with the id may like it.
  const unlisted = await env.readyVideo("owner2", Visibility.UNLISTED);
  assert.equal((await bob.likeVideo({ videoId: unlisted.id })).likeCount, 1n);
});

test("liking needs a user and a well-formed video id", async () => {
  const video = await env.readyVideo("owner3");
  await rejectsWith(env.engagementAs(undefined).likeVideo({ videoId: video.id }), GrpcStatus.UNAUTHENTICATED);
  await rejectsWith(env.engagementAs("bob").likeVideo({ videoId: "../../etc/passwd" }), GrpcStatus.INVALID_ARGUMENT, /video_id must be a video id/);
  await rejectsWith(env.engagementAs("bob").likeVideo({ videoId: "a".repeat(20) }), GrpcStatus.NOT_FOUND);
});
