import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient, withCallOptions } from "@kino/grpc";
import { testServiceCredentials, untrustedMinter } from "@kino/grpc/testing";
import { AuthInternalService } from "@kino/proto/auth/v1";
import { EventType, NotifyService } from "@kino/proto/notify/v1";
import { startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.ts";

let stack: NotifyStack;
let receiver: WebhookReceiver;

before(async () => {
  stack = await startNotifyStack();
  receiver = await startWebhookReceiver();
});
after(async () => {
  await receiver.close();
  await stack.close();
});

async function rejectsWithCode(promise: Promise<unknown>, code: GrpcStatus, what: string) {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `${what}: ${error.details}`);
    return true;
  });
}

const someId = "abcdefghij0123456789";
const requests: Record<string, object> = {
  createWebhookEndpoint: { url: "http://127.0.0.1:1/x", eventTypes: [EventType.VIDEO_READY] },
  listWebhookEndpoints: {},
  deleteWebhookEndpoint: { endpointId: someId },
  enableWebhookEndpoint: { endpointId: someId },
  listWebhookDeliveries: { endpointId: someId },
  redeliverWebhook: { deliveryId: someId },
  listNotifications: {},
  markNotificationsRead: { all: true },
  getNotificationPreferences: {},
  setNotificationPreferences: { preferences: { emailVideoReady: false } },
};

test("every method is UNAUTHENTICATED for a call made for nobody, and for a call without an assertion; other services and forged keys are refused", async () => {
  assert.deepEqual(Object.keys(requests).sort(), NotifyService.methods.map((m) => m.localName).sort(), "every method is tried");
  const anonymous = stack.clientFor(undefined) as unknown as Record<string, (request: object) => Promise<unknown>>;
  const unsigned = createGrpcClient(NotifyService, stack.notify.address) as unknown as Record<string, (request: object) => Promise<unknown>>;
  const transcoder = createGrpcClient(NotifyService, stack.notify.address, { identity: testServiceCredentials().minter("transcoder") });
  const forged = createGrpcClient(NotifyService, stack.notify.address, { identity: untrustedMinter("gateway") });
  try {
    for (const [method, request] of Object.entries(requests)) {
      await rejectsWithCode(anonymous[method]!(request), GrpcStatus.UNAUTHENTICATED, `${method} for nobody`);
      await rejectsWithCode(unsigned[method]!(request), GrpcStatus.UNAUTHENTICATED, `${method} unsigned`);
    }
    await rejectsWithCode(withCallOptions(transcoder, { onBehalfOf: { userId: "someone" } }).listNotifications({}), GrpcStatus.PERMISSION_DENIED, "the transcoder");
    await rejectsWithCode(withCallOptions(forged, { onBehalfOf: { userId: "someone" } }).listNotifications({}), GrpcStatus.UNAUTHENTICATED, "a key nobody trusts");
  } finally {
    (unsigned as unknown as { close(): void }).close();
    transcoder.close();
    forged.close();
  }
});

test("one user cannot list, read the log of, enable, redeliver or delete another's endpoints", async () => {
  const alice = await stack.accounts.createUser("alice");
  const bob = await stack.accounts.createUser("bob");
  const asAlice = stack.clientFor(alice);
  const asBob = stack.clientFor(bob);
  const { endpoint } = await asAlice.createWebhookEndpoint({ url: receiver.url, eventTypes: [EventType.VIDEO_READY] });
  await stack.readyVideo(alice);
  await receiver.waitFor(1);
  const [delivery] = (await asAlice.listWebhookDeliveries({ endpointId: endpoint!.id })).deliveries;
  assert.ok(delivery);

  assert.deepEqual((await asBob.listWebhookEndpoints({})).endpoints, []);
  await rejectsWithCode(asBob.listWebhookDeliveries({ endpointId: endpoint!.id }), GrpcStatus.NOT_FOUND, "bob reads alice's log");
  await rejectsWithCode(asBob.enableWebhookEndpoint({ endpointId: endpoint!.id }), GrpcStatus.NOT_FOUND, "bob enables alice's endpoint");
  await rejectsWithCode(asBob.redeliverWebhook({ deliveryId: delivery.id }), GrpcStatus.NOT_FOUND, "bob redelivers alice's delivery");
  await rejectsWithCode(asBob.deleteWebhookEndpoint({ endpointId: endpoint!.id }), GrpcStatus.NOT_FOUND, "bob deletes alice's endpoint");
  assert.deepEqual((await asBob.listNotifications({})).notifications, []);
  assert.equal((await asBob.markNotificationsRead({ all: true })).marked, 0);
  assert.equal((await asAlice.listNotifications({ unreadOnly: true })).unreadCount, 1, "bob marked nothing of alice's read");
  assert.equal((await asAlice.listWebhookEndpoints({})).endpoints.length, 1, "alice's endpoint is still there");

  await asAlice.deleteWebhookEndpoint({ endpointId: endpoint!.id });
  assert.deepEqual((await asAlice.listWebhookEndpoints({})).endpoints, []);
  await rejectsWithCode(asAlice.listWebhookDeliveries({ endpointId: endpoint!.id }), GrpcStatus.NOT_FOUND, "a deleted endpoint's log is gone");
  await rejectsWithCode(asAlice.deleteWebhookEndpoint({ endpointId: "../../x" }), GrpcStatus.NOT_FOUND, "an id of another shape");
});

test("an account holds at most 20 endpoints", async () => {
  const user = await stack.accounts.createUser("many");
  const client = stack.clientFor(user);
  await Promise.all(Array.from({ length: 22 }, (_, i) => client.createWebhookEndpoint({ url: `${receiver.url}/${i}`, eventTypes: [EventType.VIDEO_READY] }).catch((error: { code: number }) => error.code)));
  assert.equal((await client.listWebhookEndpoints({})).endpoints.length, 20);
  await rejectsWithCode(client.createWebhookEndpoint({ url: receiver.url, eventTypes: [EventType.VIDEO_READY] }), GrpcStatus.RESOURCE_EXHAUSTED, "the 21st");
});

test("the notify service may read accounts from auth, and nothing else of its internal API", async () => {
  const user = await stack.accounts.createUser("lookup");
  const asNotify = createGrpcClient(AuthInternalService, stack.accounts.authUrl, { identity: testServiceCredentials().minter("notify") });
  try {
    assert.equal((await asNotify.getAccount({ userId: user.userId })).account?.email, user.email);
    await rejectsWithCode(asNotify.verifyApiKey({ secret: user.apiKey }), GrpcStatus.PERMISSION_DENIED, "notify verifying a key");
    await rejectsWithCode(asNotify.getAccount({ userId: user.userId }, { onBehalfOf: { userId: user.userId } }), GrpcStatus.PERMISSION_DENIED, "notify calling for a user");
  } finally {
    asNotify.close();
  }
});
