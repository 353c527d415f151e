import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { Metadata, status as GrpcStatus } from "@grpc/grpc-js";
import { Visibility, type Video } from "@kino/proto/catalog/v1";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { requireTestEnv } from "@kino/testkit";
import { connect, type NatsConnection } from "nats";
import { rejectsWith, startEngagementCatalog, type EngagementClient, type EngagementTestCatalog } from "./start-engagement-catalog.ts";

let env: EngagementTestCatalog;
let nats: NatsConnection;
let alice: EngagementClient;
let bob: EngagementClient;
let carol: EngagementClient;
let anonymous: EngagementClient;
let video: Video;

before(async () => {
  env = await startEngagementCatalog({ commentsPerMinute: 1000, commentsPerDay: 1000 });
  nats = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
  alice = env.engagementAs("alice");
  bob = env.engagementAs("bob");
  carol = env.engagementAs("carol");
  anonymous = env.engagementAs(undefined);
  video = await env.readyVideo("alice");
});
after(async () => {
  await nats.close();
  await env.close();
});

test("text rules: trimmed, NFC, 1 to 2000 characters, no control characters but tab and newline; each refusal names its rule", async () => {
  const create = (text: string) => bob.createComment({ videoId: video.id, text });
  await rejectsWith(create("   \n\t "), GrpcStatus.INVALID_ARGUMENT, /^comment_text_empty: /);
  await rejectsWith(create(""), GrpcStatus.INVALID_ARGUMENT, /^comment_text_empty: /);
  await rejectsWith(create("x".repeat(2001)), GrpcStatus.INVALID_ARGUMENT, /^comment_text_too_long: text must be at most 2000 characters, got 2001/);
  await rejectsWith(create("bad \u001b[31m red"), GrpcStatus.INVALID_ARGUMENT, /^comment_text_control_character: .*U\+001B at character 5/);
  await rejectsWith(create("nul \u0000"), GrpcStatus.INVALID_ARGUMENT, /^comment_text_control_character: /);
  await rejectsWith(create("csi \u009b"), GrpcStatus.INVALID_ARGUMENT, /^comment_text_control_character: /);

  // 2000 emoji are 2000 characters (4000 UTF-16 units): allowed.
  const long = await create("😀".repeat(2000));
  assert.equal([...long.comment!.text].length, 2000);
  const kept = await create("  Caf\u0065\u0301\r\nline two\tand a tab  ");
  assert.equal(kept.comment!.text, "Caf\u00e9\nline two\tand a tab", "trimmed, CRLF as LF, composed (NFC)");
  await rejectsWith(bob.updateComment({ commentId: kept.comment!.id, text: "\u0007" }), GrpcStatus.INVALID_ARGUMENT, /^comment_text_control_character: /);
});

test("only the author edits; author, owner and admins delete; others get PERMISSION_DENIED", async () => {
  const { comment } = await bob.createComment({ videoId: video.id, text: "bob's first" });
  const edited = await bob.updateComment({ commentId: comment!.id, text: "bob's first, edited" });
  assert.equal(edited.comment!.text, "bob's first, edited");
  assert.ok(edited.comment!.editTime, "an edited comment says when");
  await rejectsWith(carol.updateComment({ commentId: comment!.id, text: "carol was here" }), GrpcStatus.PERMISSION_DENIED, /only its author/);
  await rejectsWith(alice.updateComment({ commentId: comment!.id, text: "the owner neither" }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(carol.deleteComment({ commentId: comment!.id }), GrpcStatus.PERMISSION_DENIED);
  await rejectsWith(anonymous.deleteComment({ commentId: comment!.id }), GrpcStatus.UNAUTHENTICATED);

  const byCarol = await carol.createComment({ videoId: video.id, text: "carol's" });
  await carol.deleteComment({ commentId: byCarol.comment!.id });
  await rejectsWith(carol.deleteComment({ commentId: byCarol.comment!.id }), GrpcStatus.NOT_FOUND);
  // The owner deletes bob's comment; an admin deletes another.
  await alice.deleteComment({ commentId: comment!.id });
  const another = await bob.createComment({ videoId: video.id, text: "another" });
  await env.engagementAs("root", { role: "admin" }).deleteComment({ commentId: another.comment!.id });
  const listed = await anonymous.listComments({ videoId: video.id, pageSize: 100 });
  assert.ok(!listed.threads.some((t) => [comment!.id, another.comment!.id, byCarol.comment!.id].includes(t.comment!.id)));
});

test("the owner hides a comment: others no longer see it, its author and the owner do, flagged; counts follow", async () => {
  const own = await env.readyVideo("alice", Visibility.PUBLIC, "hiding");
  const { comment } = await bob.createComment({ videoId: own.id, text: "rude" });
  await carol.createComment({ videoId: own.id, text: "polite" });
  assert.equal((await anonymous.getVideoEngagement({ videoId: own.id })).commentCount, 2n);
  await rejectsWith(carol.setCommentHidden({ commentId: comment!.id, hidden: true }), GrpcStatus.PERMISSION_DENIED, /owner and admins/);
  await rejectsWith(bob.setCommentHidden({ commentId: comment!.id, hidden: true }), GrpcStatus.PERMISSION_DENIED, /owner and admins/);
  const hidden = await alice.setCommentHidden({ commentId: comment!.id, hidden: true });
  assert.equal(hidden.comment!.hidden, true);

  const texts = async (client: EngagementClient) => (await client.listComments({ videoId: own.id })).threads.map((t) => [t.comment!.text, t.comment!.hidden]);
  assert.deepEqual(await texts(carol), [["polite", false]]);
  assert.deepEqual(await texts(anonymous), [["polite", false]]);
  assert.deepEqual(await texts(bob), [["polite", false], ["rude", true]]);
  assert.deepEqual(await texts(alice), [["polite", false], ["rude", true]]);
  assert.deepEqual(await texts(env.engagementAs("root", { role: "admin" })), [["polite", false], ["rude", true]]);
  assert.equal((await anonymous.getVideoEngagement({ videoId: own.id })).commentCount, 1n);
  // Hidden from carol means not there: she cannot reply to it either.
  await rejectsWith(carol.createComment({ videoId: own.id, text: "re", parentCommentId: comment!.id }), GrpcStatus.NOT_FOUND);

  await alice.setCommentHidden({ commentId: comment!.id, hidden: false });
  assert.deepEqual(await texts(carol), [["polite", false], ["rude", false]]);
});

test("one level of replies: a reply to a reply joins the thread of its top-level comment; threads page newest first", async () => {
  const own = await env.readyVideo("alice", Visibility.PUBLIC, "threads");
  const top = (await bob.createComment({ videoId: own.id, text: "top" })).comment!;
  const reply = (await carol.createComment({ videoId: own.id, text: "reply", parentCommentId: top.id })).comment!;
  assert.equal(reply.parentCommentId, top.id);
  const replyToReply = (await alice.createComment({ videoId: own.id, text: "reply to reply", parentCommentId: reply.id })).comment!;
  assert.equal(replyToReply.parentCommentId, top.id, "attached to the top-level comment, not to the reply");
  for (let i = 0; i < 6; i++) await bob.createComment({ videoId: own.id, text: `more ${i}`, parentCommentId: top.id });
  const second = (await carol.createComment({ videoId: own.id, text: "second top" })).comment!;

  const first = await anonymous.listComments({ videoId: own.id, pageSize: 1 });
  assert.deepEqual(first.threads.map((t) => t.comment!.id), [second.id], "newest top-level first");
  const next = await anonymous.listComments({ videoId: own.id, pageSize: 1, pageToken: first.nextPageToken });
  const thread = next.threads[0]!;
  assert.equal(thread.comment!.id, top.id);
  assert.equal(thread.comment!.replyCount, 8);
  assert.deepEqual(thread.replies.map((r) => r.text), ["reply", "reply to reply", "more 0", "more 1", "more 2"], "the first five replies, oldest first");
  assert.equal(next.nextPageToken, "");

  const replies: string[] = [];
  let pageToken = "";
  do {
    const page = await anonymous.listComments({ videoId: own.id, parentCommentId: top.id, pageSize: 3, pageToken });
    replies.push(...page.threads.map((t) => t.comment!.text));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  assert.deepEqual(replies, ["reply", "reply to reply", "more 0", "more 1", "more 2", "more 3", "more 4", "more 5"]);
  await rejectsWith(anonymous.listComments({ videoId: own.id, parentCommentId: reply.id }), GrpcStatus.INVALID_ARGUMENT, /top-level/);
  await rejectsWith(anonymous.listComments({ videoId: own.id, pageToken: first.nextPageToken.slice(0, -2) + "xx" }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
  await rejectsWith(anonymous.listComments({ videoId: video.id, pageToken: first.nextPageToken }), GrpcStatus.INVALID_ARGUMENT, /different listing/);
  // A reply on another video's thread is refused.
  await rejectsWith(bob.createComment({ videoId: video.id, text: "elsewhere", parentCommentId: top.id }), GrpcStatus.INVALID_ARGUMENT, /another video/);

  assert.equal((await anonymous.getVideoEngagement({ videoId: own.id })).commentCount, 10n);
  // Deleting the top-level comment takes its replies with it.
  await alice.deleteComment({ commentId: top.id });
  assert.equal((await anonymous.getVideoEngagement({ videoId: own.id })).commentCount, 1n);
  await rejectsWith(bob.updateComment({ commentId: reply.id, text: "gone?" }), GrpcStatus.NOT_FOUND);
});

test("a private video: bob cannot comment, read its comments or touch them; its owner can", async () => {
  const secret = await env.readyVideo("alice", Visibility.PRIVATE, "secret");
  const own = (await alice.createComment({ videoId: secret.id, text: "note to self" })).comment!;
  await rejectsWith(bob.createComment({ videoId: secret.id, text: "hi" }), GrpcStatus.NOT_FOUND, /not found/);
  await rejectsWith(bob.listComments({ videoId: secret.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(anonymous.listComments({ videoId: secret.id }), GrpcStatus.NOT_FOUND);
  await rejectsWith(bob.deleteComment({ commentId: own.id }), GrpcStatus.NOT_FOUND, /comment .* not found/);
  await rejectsWith(bob.createComment({ videoId: video.id, text: "hi", parentCommentId: own.id }), GrpcStatus.NOT_FOUND);
  assert.equal((await alice.listComments({ videoId: secret.id })).threads.length, 1);
});

test("a comment is published on the event stream when it commits, naming the author and the video's owner", async () => {
  const own = await env.readyVideo("alice", Visibility.PUBLIC, "events");
  const { comment } = await bob.createComment({ videoId: own.id, text: "published?" });
  await env.started.catalog.outbox.drained(10_000);
  const jsm = await nats.jetstreamManager();
  const message = await jsm.streams.getMessage(env.topology.streams.events, { last_by_subj: env.topology.videoEventSubject("commented") });
  const event = fromBinary(VideoEventSchema, message.data);
  assert.equal(event.eventId, `${own.id}.commented.${comment!.id}`);
  assert.equal(event.ownerId, "alice");
  assert.equal(event.video, undefined);
  assert.equal(event.kind.case, "commented");
  assert.deepEqual(event.kind.case === "commented" && [event.kind.value.commentId, event.kind.value.authorId], [comment!.id, "bob"]);
});

test("past the per-minute limit, RESOURCE_EXHAUSTED with retry-after in the message and the trailer; other users unaffected", async () => {
  const limited = await startEngagementCatalog({ commentsPerMinute: 3, commentsPerDay: 100 });
  try {
    const target = await limited.readyVideo("alice");
    const dan = limited.engagementAs("dan");
    // Bad text is refused before it counts.
    await rejectsWith(dan.createComment({ videoId: target.id, text: "" }), GrpcStatus.INVALID_ARGUMENT);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => dan.createComment({ videoId: target.id, text: `spam ${i}` })));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 3, "exactly the limit gets through, even in parallel");
    let trailers: Metadata | undefined;
    await assert.rejects(dan.createComment({ videoId: target.id, text: "one more" }), (error: { code: number; details: string; metadata: Metadata }) => {
      assert.equal(error.code, GrpcStatus.RESOURCE_EXHAUSTED);
      assert.match(error.details, /at most 3 comments a minute; retry after \d+ s/);
      trailers = error.metadata;
      return true;
    });
    const retryAfter = Number(trailers?.get("retry-after")[0]);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    await limited.engagementAs("eve").createComment({ videoId: target.id, text: "not spam" });

    const daily = await startEngagementCatalog({ commentsPerMinute: 100, commentsPerDay: 2 });
    try {
      const other = await daily.readyVideo("alice");
      const fay = daily.engagementAs("fay");
      await fay.createComment({ videoId: other.id, text: "one" });
      await fay.createComment({ videoId: other.id, text: "two" });
      await rejectsWith(fay.createComment({ videoId: other.id, text: "three" }), GrpcStatus.RESOURCE_EXHAUSTED, /at most 2 comments a day/);
    } finally {
      await daily.close();
    }
  } finally {
    await limited.close();
  }
});
