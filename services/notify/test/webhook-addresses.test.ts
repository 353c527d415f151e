import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { DeliveryStatus, EventType } from "@kino/proto/notify/v1";
import { isPublicAddress } from "../src/address-policy.ts";
import type { ResolvedAddress } from "../src/host-resolver.ts";
import { notifyClientFor, startTestNotify, type StartedTestNotify } from "../src/testing.ts";
import { eventually, startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.ts";

// A DNS server the test controls: "rebind.example" answers a public address until told otherwise.
const publicAddress: ResolvedAddress = { address: "93.184.215.14", family: 4 };
let rebindTo: ResolvedAddress = publicAddress;
const names: Record<string, () => ResolvedAddress[]> = {
  "rebind.example": () => [rebindTo],
  "mixed.example": () => [publicAddress, { address: "10.1.2.3", family: 4 }],
  "public.example": () => [publicAddress],
};
async function resolver(hostname: string): Promise<ResolvedAddress[]> {
  const answer = names[hostname];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return answer();
}

let stack: NotifyStack;
let receiver: WebhookReceiver;

before(async () => {
  stack = await startNotifyStack({ config: { allowPrivateWebhooks: false }, resolver });
  receiver = await startWebhookReceiver();
});
after(async () => {
  await receiver.close();
  await stack.close();
});

test("loopback, private, link-local, reserved and mapped addresses are not public; ordinary ones are", () => {
  for (const address of ["127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:a00:1", "64:ff9b::a00:1", "2002:7f00:1::", "ff02::1", "not an address"]) {
    assert.equal(isPublicAddress(address), false, address);
  }
  for (const address of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]) {
    assert.equal(isPublicAddress(address), true, address);
  }
});

test("an endpoint whose URL names or resolves to a non-public address is refused at creation", async () => {
  const user = await stack.accounts.createUser("careful");
  const client = stack.clientFor(user);
  const refused = [
    receiver.url,
    `http://localhost:${receiver.port}/`,
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://10.0.0.5/hook",
    "http://0x7f.1/hook",
    "http://2130706433/hook",
    "https://mixed.example/hook",
  ];
  for (const url of refused) {
    await assert.rejects(client.createWebhookEndpoint({ url, eventTypes: [EventType.VIDEO_READY] }), (error: { code: number; details: string }) => {
      assert.equal(error.code, 3, url);
      assert.match(error.details, /public address|does not resolve/, url);
      return true;
    });
  }
  for (const [url, message] of [
    ["ftp://public.example/x", /http:\/\/ or https:\/\//],
    ["https://user:pass@public.example/x", /user or password/],
    ["https://nowhere.example/x", /does not resolve/],
    [`https://public.example/${"a".repeat(2100)}`, /at most 2048/],
    ["not a url", /not a URL/],
  ] as const) {
    await assert.rejects(client.createWebhookEndpoint({ url, eventTypes: [EventType.VIDEO_READY] }), message, url);
  }
  await assert.rejects(client.createWebhookEndpoint({ url: "https://public.example/x", eventTypes: [] }), /event_types/);
  await assert.rejects(client.createWebhookEndpoint({ url: "https://public.example/x", eventTypes: [EventType.UNSPECIFIED] }), /event_types/);
  const ok = await client.createWebhookEndpoint({ url: "https://public.example/x#fragment", eventTypes: [EventType.VIDEO_READY, EventType.VIDEO_READY] });
  assert.equal(ok.endpoint?.url, "https://public.example/x");
  assert.deepEqual(ok.endpoint?.eventTypes, [EventType.VIDEO_READY]);
  assert.equal((await client.listWebhookEndpoints({})).endpoints.length, 1);
});

test("a name that resolved to a public address at creation and to loopback at delivery is not connected to (DNS rebinding)", async () => {
  const user = await stack.accounts.createUser("rebound");
  const client = stack.clientFor(user);
  rebindTo = publicAddress;
  const { endpoint } = await client.createWebhookEndpoint({ url: `http://rebind.example:${receiver.port}/hooks`, eventTypes: [EventType.VIDEO_READY] });
  // The receiver listens on loopback at that port: were the address not checked at connection time, it would get the delivery.
  rebindTo = { address: "127.0.0.1", family: 4 };
  await stack.readyVideo(user);
  const delivery = await eventually(async () => {
    const [found] = (await client.listWebhookDeliveries({ endpointId: endpoint!.id })).deliveries;
    return found && found.attempts.length >= 2 ? found : undefined;
  }, 10_000, "two refused attempts");
  assert.equal(delivery.status, DeliveryStatus.PENDING, "still retried: the name may point back at a public address");
  for (const attempt of delivery.attempts) {
    assert.equal(attempt.responseCode, 0);
    assert.match(attempt.error, /not a public address/);
  }
  assert.equal(receiver.received.length, 0, "nothing reached the loopback receiver");
});

test("with private addresses allowed (the explicit setting), the same loopback URL is accepted", async () => {
  let allowing: StartedTestNotify | undefined;
  try {
    allowing = await startTestNotify({ natsPrefix: `a${randomBytes(5).toString("hex")}`, authUrl: stack.accounts.authUrl, smtpUrl: stack.accounts.mail.url, config: { allowPrivateWebhooks: true } });
    const client = notifyClientFor(allowing.address, "some-user");
    try {
      const created = await client.createWebhookEndpoint({ url: receiver.url, eventTypes: [EventType.VIDEO_READY] });
      assert.equal(created.endpoint?.url, receiver.url);
    } finally {
      client.close();
    }
  } finally {
    await allowing?.close();
  }
});
