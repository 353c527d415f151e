import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type { TestUser } from "@kino/auth-service/test-accounts";
import { createTopology } from "@kino/messaging";
import { VideoEventSchema } from "@kino/proto/events/v1";
import { DeliveryStatus, EventType } from "@kino/proto/notify/v1";
import { requireTestEnv } from "@kino/testkit";
import { verifyKinoSignature } from "@kino/webhooks";
import { connect, type NatsConnection } from "nats";
import { eventually, startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.ts";

let stack: NotifyStack;
let nc: NatsConnection;
const receivers: WebhookReceiver[] = [];

before(async () => {
  stack = await startNotifyStack();
  nc = await connect({ servers: requireTestEnv("KINO_TEST_NATS_URL") });
});
after(async () => {
  await nc.close();
  for (const receiver of receivers) await receiver.close();
  await stack.close();
});

async function receiver(answer?: (n: number) => number): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

async function endpointFor(user: TestUser, url: string, eventTypes = [EventType.VIDEO_READY, EventType.VIDEO_FAILED]) {
  const created = await stack.clientFor(user).createWebhookEndpoint({ url, eventTypes });
  assert.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  return { id: created.endpoint!.id, secret: created.secret };
}

test("a receiver failing the first 3 deliveries gets the event on the 4th, signed; the log shows all 4; the helper accepts it and refuses tampering and staleness", async () => {
  const user = await stack.accounts.createUser("hooked");
  const hook = await receiver((n) => (n <= 3 ? 503 : 200));
  const endpoint = await endpointFor(user, hook.url);
  const videoId = await stack.readyVideo(user);

  const requests = await hook.waitFor(4, 15_000);
  assert.deepEqual(requests.map((r) => r.answered), [503, 503, 503, 200]);
  const bodies = new Set(requests.map((r) => r.rawBody.toString("utf8")));
  assert.equal(bodies.size, 1, "every attempt sends the same bytes");
  const fourth = requests[3]!;
  assert.equal(fourth.method, "POST");
  assert.equal(fourth.path, "/hooks");
  assert.equal(fourth.headers["content-type"], "application/json");
  const body = JSON.parse(fourth.rawBody.toString("utf8")) as { id: string; type: string; data: Record<string, unknown> };
  assert.equal(body.id, `${videoId}.ready`);
  assert.equal(body.type, "video.ready");
  assert.equal(body.data.video_id, videoId);
  assert.equal(body.data.owner_id, user.userId);
  assert.equal(body.data.playback_path, `/hls/${videoId}/attempt1/master.m3u8`);
  assert.equal(fourth.headers["kino-event-id"], body.id);

  const header = fourth.headers["kino-signature"] as string;
  assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  const { timestamp } = verifyKinoSignature(fourth.rawBody, header, endpoint.secret);
  assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60);
  for (const request of requests) verifyKinoSignature(request.rawBody, request.headers["kino-signature"] as string, endpoint.secret);
  const tampered = Buffer.from(fourth.rawBody);
  tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
  assert.throws(() => verifyKinoSignature(tampered, header, endpoint.secret), /does not match/);
  assert.throws(() => verifyKinoSignature(fourth.rawBody, header, endpoint.secret, { now: timestamp + 301 }), /more than 300 s/);
  assert.throws(() => verifyKinoSignature(fourth.rawBody, header, "whsec_not-the-secret"), /does not match/);

  const delivery = await eventually(async () => {
    const { deliveries } = await stack.clientFor(user).listWebhookDeliveries({ endpointId: endpoint.id });
    return deliveries[0]?.status === DeliveryStatus.SUCCEEDED ? deliveries : undefined;
  }, 5000, "the delivery succeeded").then((deliveries) => {
    assert.equal(deliveries.length, 1);
    return deliveries[0]!;
  });
  assert.equal(delivery.eventId, body.id);
  assert.equal(delivery.eventType, EventType.VIDEO_READY);
  assert.deepEqual(delivery.attempts.map((a) => [a.attempt, a.responseCode]), [[1, 503], [2, 503], [3, 503], [4, 200]]);
  assert.deepEqual(delivery.attempts.map((a) => a.error), ["answered 503", "answered 503", "answered 503", ""]);
  for (const attempt of delivery.attempts) assert.ok(attempt.latencyMs < 2000, `latency ${attempt.latencyMs} ms`);
  // Backoff: each wait is at least half the doubled base (100, 200, 400 ms capped), jitter included.
  const times = delivery.attempts.map((a) => Number(a.time!.seconds) * 1000 + a.time!.nanos / 1e6);
  for (const [index, least] of [50, 100, 200].entries()) assert.ok(times[index + 1]! - times[index]! >= least - 5, `wait ${index + 1}: ${times[index + 1]! - times[index]!} ms`);

  const { endpoints } = await stack.clientFor(user).listWebhookEndpoints({});
  assert.equal(endpoints[0]?.failingSinceTime, undefined, "a success makes the endpoint healthy again");
});

test("an event delivered twice by the stream is delivered once; a redelivery sends the same event id again", async () => {
  const user = await stack.accounts.createUser("twice");
  const hook = await receiver();
  const endpoint = await endpointFor(user, hook.url, [EventType.VIDEO_FAILED]);
  const videoId = await stack.failedVideo(user, "no video stream");
  const [first] = await hook.waitFor(1);
  const body = JSON.parse(first!.rawBody.toString("utf8")) as { id: string; type: string; data: { reason: string } };
  assert.equal(body.type, "video.failed");
  assert.equal(body.data.reason, "no video stream");

  // The same event again, under another message id so the stream's own deduplication lets it through.
  const topology = createTopology(stack.natsPrefix);
  const event = create(VideoEventSchema, {
    eventId: `${videoId}.failed`,
    videoId,
    ownerId: user.userId,
    time: timestampNow(),
    kind: { case: "failed", value: { reason: "no video stream" } },
  });
  await nc.jetstream().publish(topology.videoEventSubject("failed"), toBinary(VideoEventSchema, event), { msgID: `${event.eventId}.again` });
  await sleep(1000);
  assert.equal(hook.received.length, 1, "the duplicate was not delivered");
  const { deliveries } = await stack.clientFor(user).listWebhookDeliveries({ endpointId: endpoint.id });
  assert.equal(deliveries.length, 1);

  const redelivered = await stack.clientFor(user).redeliverWebhook({ deliveryId: deliveries[0]!.id });
  assert.equal(redelivered.delivery?.status, DeliveryStatus.PENDING);
  const again = (await hook.waitFor(2))[1]!;
  assert.equal(again.rawBody.toString("utf8"), first!.rawBody.toString("utf8"));
  assert.equal(again.headers["kino-event-id"], body.id);
  verifyKinoSignature(again.rawBody, again.headers["kino-signature"] as string, endpoint.secret);
  const log = await eventually(async () => {
    const [delivery] = (await stack.clientFor(user).listWebhookDeliveries({ endpointId: endpoint.id })).deliveries;
    return delivery?.attempts.length === 2 && delivery.status === DeliveryStatus.SUCCEEDED ? delivery : undefined;
  }, 5000, "the redelivery was logged");
  assert.deepEqual(log.attempts.map((a) => a.responseCode), [200, 200]);
});

test("an endpoint gets only the event types it asked for; a redirect is a failure, not followed", async () => {
  const user = await stack.accounts.createUser("filtered");
  const readyOnly = await receiver();
  const redirecting = await receiver(() => 302);
  await endpointFor(user, readyOnly.url, [EventType.VIDEO_READY]);
  const moved = await endpointFor(user, redirecting.url, [EventType.VIDEO_FAILED]);
  await stack.failedVideo(user, "file is empty");
  await stack.readyVideo(user);
  const [request] = await readyOnly.waitFor(1);
  assert.equal((JSON.parse(request!.rawBody.toString("utf8")) as { type: string }).type, "video.ready");
  await redirecting.waitFor(2);
  await sleep(300);
  assert.equal(readyOnly.received.length, 1, "the failed video was not delivered to a video.ready endpoint");
  const [delivery] = (await stack.clientFor(user).listWebhookDeliveries({ endpointId: moved.id })).deliveries;
  assert.equal(delivery?.attempts[0]?.responseCode, 302);
  assert.match(delivery?.attempts[0]?.error ?? "", /redirects are not followed/);
  assert.equal(delivery?.status, DeliveryStatus.PENDING);
});
