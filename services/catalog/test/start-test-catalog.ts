import { createGrpcClient, callerMetadataKey, type GrpcClient } from "@kino/grpc";
import { silentLogger } from "@kino/platform";
import { createTopology, type Topology } from "@kino/messaging";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { randomBytes } from "node:crypto";
import { createTestDatabase, requireTestEnv, type TestDatabase } from "@kino/testkit";
import { startCatalogService, type RunningCatalog } from "../src/catalog-service.ts";

export interface TestCatalog {
  catalog: RunningCatalog;
  /** The stream and subject names this catalog publishes to. */
  topology: Topology;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  database: TestDatabase;
  address: string;
  /** A client that calls as `callerId` (anonymous when undefined). */
  clientAs(callerId: string | undefined): CatalogClient;
  close(): Promise<void>;
}

export type CatalogClient = GrpcClient<typeof CatalogService>;

/** A catalog service on a free port over a database of its own. */
export async function startTestCatalog(): Promise<TestCatalog> {
  const database = await createTestDatabase("kino_catalog");
  const natsPrefix = `t${randomBytes(5).toString("hex")}`;
  const catalog = await startCatalogService(
    {
      databaseUrl: database.url,
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix,
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    silentLogger(),
  );
  const address = `127.0.0.1:${catalog.grpcPort}`;
  const lifecycle = createGrpcClient(VideoLifecycleService, address);
  const clients: { close(): void }[] = [lifecycle];
  return {
    catalog,
    topology: createTopology(natsPrefix),
    lifecycle,
    database,
    address,
    clientAs(callerId) {
      const raw = createGrpcClient(CatalogService, address);
      clients.push(raw);
      const headers = callerId ? { [callerMetadataKey]: callerId } : {};
      return new Proxy(raw, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (typeof value !== "function" || key === "close" || key === "waitForReady") return value;
          return (request: unknown, options?: { headers?: Record<string, string> }) =>
            value(request, { ...options, headers: { ...headers, ...options?.headers } });
        },
      });
    },
    async close() {
      for (const client of clients) client.close();
      await catalog.close();
      await database.drop();
    },
  };
}
