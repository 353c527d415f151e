import { randomBytes } from "node:crypto";
import type { RunningCatalog } from "@kino/catalog-service";
import { startTestCatalog } from "@kino/catalog-service/testing";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { sharedTestAccounts } from "@kino/auth-service/test-accounts";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { gatewayConfigSchema, type GatewayConfig } from "../src/config.ts";

// One auth service per test file, with two people made the real way; their API keys carry every non-admin scope.
export const testAccounts = await sharedTestAccounts();
export const alice = await testAccounts.createUser("alice");
export const bob = await testAccounts.createUser("bob");
export const aliceKey = alice.apiKey;
export const bobKey = bob.apiKey;

export interface TestStack {
  gateway: RunningGateway;
  catalog: RunningCatalog;
  baseUrl: string;
  close(): Promise<void>;
}

/** The gateway's config as main would parse it, pointed at a test catalog. */
export function testGatewayConfig(catalogPort: number, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const parsed = parseConfig(gatewayConfigSchema, {
    KINO_GATEWAY_LISTEN: "127.0.0.1:0",
    KINO_CATALOG_URL: `127.0.0.1:${catalogPort}`,
    ...testAccounts.gatewayEnv,
    KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
    KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
    KINO_LOG_LEVEL: "silent",
    KINO_SHUTDOWN_TIMEOUT_MS: "2000",
    KINO_UPSTREAM_TIMEOUT_MS: "5000",
  });
  return { ...parsed, ...overrides };
}

/** A catalog over its own database (or `databaseUrl`) and a gateway in front of it, both on free ports. */
export async function startTestStack(databaseUrl?: string): Promise<TestStack> {
  const started = await startTestCatalog({ databaseUrl });
  const gateway = await startGateway({ config: testGatewayConfig(started.catalog.grpcPort), logger: silentLogger() });
  return {
    gateway,
    catalog: started.catalog,
    baseUrl: `http://127.0.0.1:${gateway.port}`,
    async close() {
      await gateway.close();
      await started.close();
    },
  };
}
