import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { engagementClientFor } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { NotificationKind } from "@kino/proto/notify/v1";
import { eventually, startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";

let stack: NotifyStack;

before(async () => {
  stack = await startNotifyStack();
});
after(async () => {
  await stack.close();
});

test("bob's comment on alice's video puts one entry in alice's feed; her own comments put none", async () => {
  const alice = await stack.accounts.createUser("alice");
  const bob = await stack.accounts.createUser("bob");
  const videoId = await stack.readyVideo(alice);
  const credentials = testServiceCredentials();
  const asAlice = engagementClientFor(credentials, stack.catalog.address, alice.userId);
  const asBob = engagementClientFor(credentials, stack.catalog.address, bob.userId);
  try {
    // Alice's own comment goes first: events of the stream are taken in order, so once bob's is in her feed, hers was seen.
    const own = await asAlice.createComment({ videoId, text: "my own video" });
    const reply = await asAlice.createComment({ videoId, text: "replying to myself", parentCommentId: own.comment!.id });
    const bobs = await asBob.createComment({ videoId, text: "nice video", parentCommentId: reply.comment!.id });

    const commented = await eventually(async () => {
      const feed = await stack.clientFor(alice).listNotifications({});
      const entries = feed.notifications.filter((n) => n.kind === NotificationKind.VIDEO_COMMENTED);
      return entries.length > 0 ? entries : undefined;
    }, 15_000, "a comment notification for alice");
    assert.equal(commented.length, 1, "one entry, and none for alice's own comments");
    assert.deepEqual([commented[0]!.videoId, commented[0]!.commentId, commented[0]!.commentAuthorId], [videoId, bobs.comment!.id, bob.userId]);
    assert.equal(commented[0]!.readTime, undefined);

    const bobsFeed = await stack.clientFor(bob).listNotifications({});
    assert.deepEqual(bobsFeed.notifications.filter((n) => n.kind === NotificationKind.VIDEO_COMMENTED), [], "the author is not told of their own comment");
    // Ready and commented live side by side in alice's feed.
    const kinds = (await stack.clientFor(alice).listNotifications({})).notifications.map((n) => n.kind);
    assert.deepEqual(kinds.sort(), [NotificationKind.VIDEO_READY, NotificationKind.VIDEO_COMMENTED].sort());
  } finally {
    asAlice.close();
    asBob.close();
  }
});
