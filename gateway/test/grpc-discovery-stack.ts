import { join } from "node:path";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { silentLogger } from "@kino/platform";
import { findFreePort } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import { startGatewayApp, type RunningGatewayApp } from "../src/gateway-app.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

export interface DiscoveryStack {
  catalog: StartedTestCatalog;
  app: RunningGatewayApp;
  /** host:port of the gateway. */
  gatewayAddress: string;
  /** Stops the catalog (once), leaving the gateway up. */
  stopCatalog(): Promise<void>;
  close(): Promise<void>;
}

/** The whole gateway app, as main runs it, in front of a test catalog; nothing listens at its analytics address. */
export async function startDiscoveryStack(): Promise<DiscoveryStack> {
  const catalog = await startTestCatalog();
  const dir: TempDir = await createTempDir("kino-grpc-discovery-");
  const config = testGatewayConfig(catalog.catalog.grpcPort, {
    analyticsUrl: `127.0.0.1:${await findFreePort()}`,
    rateLimitPerMinute: 0,
    storageDir: join(dir.path, "storage"),
    uploadStagingDir: join(dir.path, "staging"),
  });
  const app = await startGatewayApp(config, silentLogger());
  let catalogStopped: Promise<void> | undefined;
  const stopCatalog = () => (catalogStopped ??= catalog.close());
  return {
    catalog,
    app,
    gatewayAddress: `127.0.0.1:${app.gateway.port}`,
    stopCatalog,
    async close() {
      await app.close();
      await stopCatalog();
      await dir.remove();
    },
  };
}
