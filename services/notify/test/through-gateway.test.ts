import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { TestUser } from "@kino/auth-service/test-accounts";
import { gatewayConfigSchema, startGateway, type RunningGateway } from "@kino/gateway";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { ApiKeyScope } from "@kino/proto/auth/v1";
import { startNotifyStack, type NotifyStack } from "./support/notify-stack.ts";

let stack: NotifyStack;
let gateway: RunningGateway;
let baseUrl: string;
let alice: TestUser;

before(async () => {
  stack = await startNotifyStack();
  alice = await stack.accounts.createUser("alice");
  const config = parseConfig(gatewayConfigSchema, {
    KINO_GATEWAY_LISTEN: "127.0.0.1:0",
    KINO_CATALOG_URL: stack.catalog.address,
    KINO_NOTIFY_URL: stack.notify.address,
    KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
    ...stack.accounts.gatewayEnv,
    KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
    KINO_LOG_LEVEL: "silent",
    KINO_SHUTDOWN_TIMEOUT_MS: "2000",
  });
  gateway = await startGateway({ config, logger: silentLogger() });
  baseUrl = `http://127.0.0.1:${gateway.port}`;
});
after(async () => {
  await gateway.close();
  await stack.close();
});

function call(method: string, body: object, key?: string): Promise<Response> {
  return fetch(`${baseUrl}/kino.notify.v1.NotifyService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

test("Connect JSON through the gateway: a key with videos:write creates an endpoint (secret once), reads it back; a read-only key and anonymous callers are refused", async () => {
  const created = await call("CreateWebhookEndpoint", { url: "http://127.0.0.1:9/hooks", eventTypes: ["EVENT_TYPE_VIDEO_READY"] }, alice.apiKey);
  assert.equal(created.status, 200);
  const { endpoint, secret } = (await created.json()) as { endpoint: { id: string; url: string }; secret: string };
  assert.match(secret, /^whsec_/);
  assert.equal(endpoint.url, "http://127.0.0.1:9/hooks");

  const listed = await call("ListWebhookEndpoints", {}, alice.accessToken);
  assert.equal(listed.status, 200);
  const text = await listed.text();
  assert.ok(text.includes(endpoint.id));
  assert.ok(!text.includes(secret), "the secret is never listed");

  const readOnly = await stack.accounts.createKey(alice, [ApiKeyScope.VIDEOS_READ]);
  const refused = await call("DeleteWebhookEndpoint", { endpointId: endpoint.id }, readOnly);
  assert.equal(refused.status, 403);
  assert.equal((await call("ListNotifications", {}, readOnly)).status, 200);

  const anonymous = await call("ListWebhookEndpoints", {});
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as { code: string }).code, "unauthenticated");
  const badId = await call("DeleteWebhookEndpoint", { endpointId: "x".repeat(100) }, alice.apiKey);
  assert.equal(badId.status, 400, "ids are checked at the door");
});
