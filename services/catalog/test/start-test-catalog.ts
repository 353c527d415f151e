import { callerMetadataKey, createGrpcClient, withCallHeaders, type GrpcClient } from "@kino/grpc";
import { createTopology, type Topology } from "@kino/messaging";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { RunningCatalog } from "../src/catalog-service.ts";
import { startTestCatalog as startCatalogForTests } from "../src/testing.ts";

export interface TestCatalog {
  catalog: RunningCatalog;
  /** The stream and subject names this catalog publishes to. */
  topology: Topology;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  address: string;
  /** A client that calls as `callerId` (anonymous when undefined). */
  clientAs(callerId: string | undefined): CatalogClient;
  close(): Promise<void>;
}

export type CatalogClient = GrpcClient<typeof CatalogService>;

/** A catalog service on a free port over a database of its own. */
export async function startTestCatalog(): Promise<TestCatalog> {
  const started = await startCatalogForTests();
  const { catalog, address, natsPrefix } = started;
  const lifecycle = createGrpcClient(VideoLifecycleService, address);
  const clients: { close(): void }[] = [lifecycle];
  return {
    catalog,
    topology: createTopology(natsPrefix),
    lifecycle,
    address,
    clientAs(callerId) {
      const raw = createGrpcClient(CatalogService, address);
      clients.push(raw);
      return withCallHeaders(raw, callerId ? { [callerMetadataKey]: callerId } : {});
    },
    async close() {
      for (const client of clients) client.close();
      await started.close();
    },
  };
}
