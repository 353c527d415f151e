import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { DeliveryStatus, EventType } from "@kino/proto/notify/v1";
import { eventually, startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.ts";

let stack: NotifyStack;
let broken = true;
let receiver: WebhookReceiver;

before(async () => {
  // Failing for 1.5 s stands for failing for 24 hours; deliveries alone would be retried for a minute.
  stack = await startNotifyStack({ config: { disableAfterMs: 1500, retryBaseMs: 100, retryMaxDelayMs: 300, retryWindowMs: 60_000 } });
  receiver = await startWebhookReceiver(() => (broken ? 500 : 204));
});
after(async () => {
  await receiver.close();
  await stack.close();
});

test("an endpoint failing past the disable window is disabled, its owner emailed once; enabled again, a redelivery succeeds", async () => {
  const user = await stack.accounts.createUser("broken");
  const client = stack.clientFor(user);
  // Off, and yet the endpoint's mail comes: it is not one of the mails a user can turn off.
  await client.setNotificationPreferences({ preferences: { emailVideoReady: false, emailVideoFailed: false } });
  const { endpoint } = await client.createWebhookEndpoint({ url: receiver.url, eventTypes: [EventType.VIDEO_READY] });
  const started = Date.now();
  await stack.readyVideo(user);

  const mail = await stack.accounts.mail.next(user.email, 15_000);
  assert.equal(mail.subject, "Your webhook endpoint was disabled");
  assert.ok(mail.raw.includes(receiver.url), "the mail names the URL");
  assert.match(mail.text, /answered 500/);
  assert.ok(Date.now() - started >= 1500, "not before the window passed");

  const [disabled] = (await client.listWebhookEndpoints({})).endpoints;
  assert.ok(disabled?.disableTime, "the endpoint is disabled");
  assert.match(disabled.disabledReason, /failed for/);
  const [delivery] = (await client.listWebhookDeliveries({ endpointId: endpoint!.id })).deliveries;
  assert.equal(delivery?.status, DeliveryStatus.FAILED, "its pending delivery is given up");
  assert.ok(delivery.attempts.length >= 3, `${delivery.attempts.length} attempts`);
  assert.ok(delivery.attempts.every((a) => a.responseCode === 500));

  // Nothing more is sent to it, and no new event reaches it.
  const seen = receiver.received.length;
  await stack.readyVideo(user);
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.equal(receiver.received.length, seen);
  assert.equal((await client.listWebhookDeliveries({ endpointId: endpoint!.id })).deliveries.length, 1, "a disabled endpoint gets no deliveries");
  await assert.rejects(client.redeliverWebhook({ deliveryId: delivery.id }), (error: { code: number }) => error.code === GrpcStatus.FAILED_PRECONDITION);
  assert.equal(stack.accounts.mail.messages.filter((m) => m.subject === "Your webhook endpoint was disabled" && m.to.includes(user.email.toLowerCase())).length, 1);

  broken = false;
  const enabled = await client.enableWebhookEndpoint({ endpointId: endpoint!.id });
  assert.equal(enabled.endpoint?.disableTime, undefined);
  await client.redeliverWebhook({ deliveryId: delivery.id });
  const done = await eventually(async () => {
    const [found] = (await client.listWebhookDeliveries({ endpointId: endpoint!.id })).deliveries;
    return found?.status === DeliveryStatus.SUCCEEDED ? found : undefined;
  }, 5000, "the redelivery succeeded");
  assert.equal(done.attempts.at(-1)?.responseCode, 204);
});
