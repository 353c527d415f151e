import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { silentLogger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { requireTestEnv } from "@kino/testkit";
import { Redis } from "ioredis";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { createFixedWindowLimiter } from "../src/rate-limit/index.ts";
import { aliceKey, bobKey, startTestStack, testGatewayConfig, type TestStack } from "./start-test-stack.ts";

let stack: TestStack;
let redis: Redis;
let limited: RunningGateway;
let unreachable: { redis: Redis; gateway: RunningGateway };

function limiter(redisClient: Redis, limit: number) {
  return createFixedWindowLimiter({ redis: redisClient, limit, windowMs: 60_000, prefix: `test:${randomBytes(4).toString("hex")}`, logger: silentLogger() });
}

async function gatewayWith(redisClient: Redis, limits: { perUser?: number; perAddress?: number }): Promise<RunningGateway> {
  const rateLimits = {
    perUser: limits.perUser === undefined ? undefined : limiter(redisClient, limits.perUser),
    perAddress: limits.perAddress === undefined ? undefined : limiter(redisClient, limits.perAddress),
  };
  return startGateway({ config: testGatewayConfig(stack.catalog.grpcPort), logger: silentLogger(), rateLimits });
}

before(async () => {
  stack = await startTestStack();
  redis = new Redis(requireTestEnv("KINO_TEST_REDIS_URL"), { enableOfflineQueue: false, lazyConnect: true });
  await redis.connect();
  limited = await gatewayWith(redis, { perUser: 5 });
  // Nothing listens on port 1: every Redis command fails at once.
  const deadRedis = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 0 });
  deadRedis.on("error", () => {});
  unreachable = { redis: deadRedis, gateway: await gatewayWith(deadRedis, { perUser: 1, perAddress: 1 }) };
});
after(async () => {
  await limited.close();
  await unreachable.gateway.close();
  unreachable.redis.disconnect();
  redis.disconnect();
  await stack.close();
});

const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

test("a caller over its limit gets ResourceExhausted with Retry-After; others are unaffected", async () => {
  const baseUrl = `http://127.0.0.1:${limited.port}`;
  const connect = createClient(CatalogService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
  for (let i = 0; i < 5; i++) await connect.listVideos({}, auth(aliceKey));

  await assert.rejects(connect.listVideos({}, auth(aliceKey)), (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.ResourceExhausted);
    assert.match(e.rawMessage, /rate limit exceeded/);
    assert.ok(Number(e.metadata.get("retry-after")) >= 1);
    return true;
  });
  // The limit is per caller and holds over every protocol.
  const grpc = createClient(CatalogService, createGrpcTransport({ baseUrl }));
  await assert.rejects(grpc.listVideos({}, auth(aliceKey)), (error: unknown) => ConnectError.from(error).code === Code.ResourceExhausted);
  await connect.listVideos({}, auth(bobKey));
});

test("with Redis unreachable, calls are allowed rather than refused", async () => {
  const client = createClient(
    CatalogService,
    createConnectTransport({ baseUrl: `http://127.0.0.1:${unreachable.gateway.port}`, httpVersion: "1.1" }),
  );
  for (let i = 0; i < 3; i++) await client.listVideos({}, auth(aliceKey));
});

test("every call from one address counts against it, anonymous ones and wrong keys included, so keys cannot be guessed at line rate", async () => {
  const gateway = await gatewayWith(redis, { perAddress: 4 });
  try {
    const client = createClient(CatalogService, createConnectTransport({ baseUrl: `http://127.0.0.1:${gateway.port}`, httpVersion: "1.1" }));
    await client.listVideos({});
    await assert.rejects(client.listVideos({}, auth("kino_guess0000_not-a-real-key-at-all")), (error: unknown) => ConnectError.from(error).code === Code.Unauthenticated);
    await client.listVideos({}, auth(aliceKey));
    await client.listVideos({}, auth(bobKey));
    for (const key of [undefined, "kino_guess0000_another-wrong-key", aliceKey]) {
      await assert.rejects(client.listVideos({}, key ? auth(key) : {}), (error: unknown) => {
        const e = ConnectError.from(error);
        assert.equal(e.code, Code.ResourceExhausted, `${key ?? "anonymous"}: ${e.message}`);
        assert.ok(Number(e.metadata.get("retry-after")) >= 1);
        return true;
      });
    }
  } finally {
    await gateway.close();
  }
});
