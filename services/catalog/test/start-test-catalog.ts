import type { GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { createTopology, type Topology } from "@kino/messaging";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { RunningCatalog } from "../src/catalog-service.ts";
import { catalogClientFor, lifecycleClientFor, startTestCatalog as startCatalogForTests } from "../src/testing.ts";

export interface TestCatalog {
  catalog: RunningCatalog;
  /** The stream and subject names this catalog publishes to. */
  topology: Topology;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  address: string;
  /** A client that calls as `callerId` (anonymous when undefined), signed as the gateway. */
  clientAs(callerId: string | undefined, role?: "user" | "admin"): CatalogClient;
  close(): Promise<void>;
}

export type CatalogClient = GrpcClient<typeof CatalogService>;

/** A catalog service on a free port over a database of its own. */
export async function startTestCatalog(): Promise<TestCatalog> {
  const started = await startCatalogForTests();
  const { catalog, address, natsPrefix } = started;
  const credentials = testServiceCredentials();
  const lifecycle = lifecycleClientFor(credentials, address);
  const clients: { close(): void }[] = [lifecycle];
  return {
    catalog,
    topology: createTopology(natsPrefix),
    lifecycle,
    address,
    clientAs(callerId, role) {
      const client = catalogClientFor(credentials, address, callerId, role);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await started.close();
    },
  };
}
