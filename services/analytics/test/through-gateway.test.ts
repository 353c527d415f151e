import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { startTestAccounts, type TestAccounts, type TestUser } from "@kino/auth-service/test-accounts";
import { gatewayConfigSchema, startGateway, type RunningGateway } from "@kino/gateway";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { startAnalyticsTestStack, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";
import { collectorRows, heartbeatMs, storeRows, type ViewPlan } from "./support/sdk-views.ts";

const t0 = Date.UTC(2026, 9, 5, 10);

let stack: AnalyticsTestStack;
let accounts: TestAccounts;
let alice: TestUser;
let aliceKey: string;
let bobKey: string;
let gateway: RunningGateway;
let baseUrl: string;

before(async () => {
  stack = await startAnalyticsTestStack();
  accounts = await startTestAccounts();
  alice = await accounts.createUser("alice");
  aliceKey = alice.apiKey;
  bobKey = (await accounts.createUser("bob")).apiKey;
  const config = parseConfig(gatewayConfigSchema, {
    KINO_GATEWAY_LISTEN: "127.0.0.1:0",
    KINO_CATALOG_URL: stack.catalogAddress,
    KINO_ANALYTICS_URL: stack.analyticsAddress,
    KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
    ...accounts.gatewayEnv,
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
  await accounts.close();
});

function getVideoSummary(body: object, key?: string): Promise<Response> {
  return fetch(`${baseUrl}/kino.analytics.v1.AnalyticsService/GetVideoSummary`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

test("Connect JSON through the gateway: the owner gets the figures, others and anonymous callers do not", async () => {
  const videoId = await stack.createVideo(alice.userId);
  const device = { deviceType: "desktop", browserName: "Chrome", osName: "Linux" };
  const plans: ViewPlan[] = [
    { videoId, viewerId: "u1", startMs: t0 + 60_000, heartbeats: 2, device, country: "US" },
    { videoId, viewerId: "u2", startMs: t0 + 120_000, heartbeats: 1, device, country: "NL" },
  ];
  await storeRows(stack.store, collectorRows(plans));
  const body = { videoId, range: { startTime: new Date(t0).toISOString(), endTime: new Date(t0 + 3_600_000).toISOString() } };

  const own = await getVideoSummary(body, aliceKey);
  assert.equal(own.status, 200);
  assert.deepEqual(await own.json(), { videoId, totals: { views: "2", uniqueViewers: "2", watchTimeMs: String(3 * heartbeatMs) } });

  const other = await getVideoSummary(body, bobKey);
  assert.equal(other.status, 404);
  assert.equal(((await other.json()) as { code: string }).code, "not_found");

  const anonymous = await getVideoSummary(body);
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as { code: string }).code, "unauthenticated");
});
