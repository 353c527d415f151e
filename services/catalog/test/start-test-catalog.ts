import { createGrpcClient, callerMetadataKey, type GrpcClient } from "@kino/grpc";
import { silentLogger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { createTestDatabase, type TestDatabase } from "@kino/testkit";
import { startCatalogService, type RunningCatalog } from "../src/catalog-service.ts";

export interface TestCatalog {
  catalog: RunningCatalog;
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
  const catalog = await startCatalogService(
    {
      databaseUrl: database.url,
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    silentLogger(),
  );
  const address = `127.0.0.1:${catalog.grpcPort}`;
  const clients: CatalogClient[] = [];
  return {
    catalog,
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
