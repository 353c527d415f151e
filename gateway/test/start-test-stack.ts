import { startCatalogService, type RunningCatalog } from "@kino/catalog-service";
import { silentLogger } from "@kino/platform";
import { randomBytes } from "node:crypto";
import { createTestDatabase, requireTestEnv, type TestDatabase } from "@kino/testkit";
import { parseApiKeys } from "../src/auth/api-keys.ts";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import type { GatewayConfig } from "../src/config.ts";

export const aliceKey = "alice-key-0123456789abcdef";
export const bobKey = "bob-key-0123456789abcdef";

export interface TestStack {
  gateway: RunningGateway;
  catalog: RunningCatalog;
  baseUrl: string;
  close(): Promise<void>;
}

export function testGatewayConfig(catalogPort: number, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    listen: "127.0.0.1:0",
    catalogUrl: `127.0.0.1:${catalogPort}`,
    apiKeys: parseApiKeys(`alice:${aliceKey},bob:${bobKey}`),
    corsOrigins: "*",
    upstreamTimeoutMs: 5000,
    natsUrl: "nats://127.0.0.1:4222",
    logLevel: "silent",
    shutdownTimeoutMs: 2000,
    ...overrides,
  };
}

/** A catalog over its own database and a gateway in front of it, both on free ports. */
export async function startTestStack(database?: TestDatabase): Promise<TestStack> {
  const db = database ?? (await createTestDatabase("kino_gateway"));
  const catalog = await startCatalogService(
    {
      databaseUrl: db.url,
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix: `t${randomBytes(5).toString("hex")}`,
      logLevel: "silent",
      shutdownTimeoutMs: 2000,
    },
    silentLogger(),
  );
  const gateway = await startGateway({ config: testGatewayConfig(catalog.grpcPort), logger: silentLogger() });
  return {
    gateway,
    catalog,
    baseUrl: `http://127.0.0.1:${gateway.port}`,
    async close() {
      await gateway.close();
      await catalog.close();
      if (!database) await db.drop();
    },
  };
}
