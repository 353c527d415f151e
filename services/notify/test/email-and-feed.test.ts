import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import type { TestUser } from "@kino/auth-service/test-accounts";
import { NotificationKind } from "@kino/proto/notify/v1";
import { eventually, startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";

let stack: NotifyStack;

before(async () => {
  stack = await startNotifyStack();
});
after(async () => {
  await stack.close();
});

/** A multipart message with its quoted-printable parts decoded (the catcher decodes single-part mail only). */
function decoded(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every message to `user` that a sign-up did not send. */
function notificationMails(user: TestUser) {
  return stack.accounts.mail.messages.filter((m) => m.to.includes(user.email.toLowerCase()) && !/code|verify/i.test(m.subject));
}

async function feedOf(user: TestUser, count: number) {
  return eventually(async () => {
    const feed = await stack.clientFor(user).listNotifications({});
    return feed.notifications.length >= count ? feed : undefined;
  }, 10_000, `${count} notifications`);
}

test("READY and FAILED each mail the owner exactly once, in text and HTML, FAILED with its reason", async () => {
  const user = await stack.accounts.createUser("mailed");
  const ready = await stack.readyVideo(user);
  const readyMail = await stack.accounts.mail.next(user.email, 10_000);
  assert.equal(readyMail.subject, "Your video is ready");
  assert.match(readyMail.raw, /multipart\/alternative/i);
  assert.match(readyMail.raw, /text\/plain/i);
  assert.match(readyMail.raw, /text\/html/i);
  assert.ok(decoded(readyMail.raw).includes(`"notify me" (${ready})`), "the mail names the video by its title and id");

  const reason = "not a video file <script>";
  const failed = await stack.failedVideo(user, reason);
  const failedMail = await stack.accounts.mail.next(user.email, 10_000);
  assert.equal(failedMail.subject, "Your video could not be processed");
  const failedBody = decoded(failedMail.raw);
  assert.ok(failedBody.includes(failed));
  assert.ok(failedBody.includes(`Reason: ${reason}`), "the text part holds the reason");
  assert.ok(failedBody.includes("not a video file &lt;script&gt;"), "the HTML part holds it escaped");
  assert.ok(failedBody.includes("&quot;notify me&quot;"), "and the title escaped");

  await sleep(1000);
  assert.deepEqual(notificationMails(user).map((m) => m.subject), ["Your video is ready", "Your video could not be processed"], "one mail each, no more");
});

test("an owner who opted out gets no mail, and still gets the feed", async () => {
  const user = await stack.accounts.createUser("quiet");
  const client = stack.clientFor(user);
  const defaults = await client.getNotificationPreferences({});
  assert.deepEqual([defaults.preferences?.emailVideoReady, defaults.preferences?.emailVideoFailed], [true, true], "everything is on until changed");
  const set = await client.setNotificationPreferences({ preferences: { emailVideoReady: false, emailVideoFailed: false } });
  assert.equal(set.preferences?.emailVideoReady, false);
  assert.equal((await client.getNotificationPreferences({})).preferences?.emailVideoFailed, false);

  await stack.readyVideo(user);
  await stack.failedVideo(user, "file is empty");
  await feedOf(user, 2);
  await sleep(1000);
  assert.deepEqual(notificationMails(user), [], "no mail after opting out");

  // Only READY turned back on: FAILED stays quiet.
  await client.setNotificationPreferences({ preferences: { emailVideoReady: true, emailVideoFailed: false } });
  await stack.failedVideo(user, "no video stream");
  await stack.readyVideo(user);
  assert.equal((await stack.accounts.mail.next(user.email, 10_000)).subject, "Your video is ready");
  await sleep(800);
  assert.equal(notificationMails(user).length, 1);
});

test("the feed lists ready and failed, newest first, pages, and marks read", async () => {
  const user = await stack.accounts.createUser("feed");
  const client = stack.clientFor(user);
  const ready = await stack.readyVideo(user);
  const failed = await stack.failedVideo(user, "ffmpeg: moov atom not found");
  const feed = await feedOf(user, 2);
  assert.deepEqual(feed.notifications.map((n) => [n.kind, n.videoId]), [
    [NotificationKind.VIDEO_FAILED, failed],
    [NotificationKind.VIDEO_READY, ready],
  ]);
  assert.equal(feed.notifications[0]!.failureReason, "ffmpeg: moov atom not found");
  assert.equal(feed.unreadCount, 2);

  const first = await client.listNotifications({ pageSize: 1 });
  assert.equal(first.notifications[0]?.videoId, failed);
  assert.notEqual(first.nextPageToken, "");
  const second = await client.listNotifications({ pageSize: 1, pageToken: first.nextPageToken });
  assert.equal(second.notifications[0]?.videoId, ready);
  assert.equal(second.nextPageToken, "");
  await assert.rejects(client.listNotifications({ pageSize: 1, pageToken: first.nextPageToken, unreadOnly: true }), /page_token/);

  const marked = await client.markNotificationsRead({ notificationIds: [feed.notifications[1]!.id] });
  assert.deepEqual([marked.marked, marked.unreadCount], [1, 1]);
  const unread = await client.listNotifications({ unreadOnly: true });
  assert.deepEqual(unread.notifications.map((n) => n.videoId), [failed]);
  assert.deepEqual(await client.markNotificationsRead({ all: true }).then((r) => [r.marked, r.unreadCount]), [1, 0]);
  assert.ok((await client.listNotifications({})).notifications.every((n) => n.readTime !== undefined));
  await assert.rejects(client.markNotificationsRead({}), /notification_ids is empty/);
  await assert.rejects(client.markNotificationsRead({ notificationIds: ["../x"] }), /notification_ids/);
});
