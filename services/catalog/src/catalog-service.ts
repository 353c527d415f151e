import { createDatabase, migrateToLatest } from "@kino/database";
import { grpcImplementation, startGrpcServer } from "@kino/grpc";
import { createMetricsRegistry, startOpsServer, type Logger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { protoRoot } from "@kino/proto/proto-root";
import type { Kysely } from "kysely";
import { catalogHandlers } from "./catalog-handlers.ts";
import type { CatalogConfig } from "./config.ts";
import { catalogMigrations } from "./migrations/index.ts";
import type { CatalogDatabase } from "./schema.ts";
import { probeDatabaseHealth } from "./health-probe.ts";
import { VideoRepository } from "./video-repository.ts";

export interface RunningCatalog {
  grpcPort: number;
  opsPort: number;
  /** Stop accepting, drain in-flight calls, close the pool. */
  close(): Promise<void>;
}

function splitListen(listen: string): { host: string; port: number } {
  const index = listen.lastIndexOf(":");
  return { host: listen.slice(0, index), port: Number(listen.slice(index + 1)) };
}

export async function startCatalogService(config: CatalogConfig, logger: Logger): Promise<RunningCatalog> {
  const db: Kysely<CatalogDatabase> = createDatabase<CatalogDatabase>({ url: config.databaseUrl });
  await migrateToLatest(db as Kysely<unknown>, catalogMigrations, logger);
  const videos = new VideoRepository(db);

  const grpc = await startGrpcServer({
    listen: config.listen,
    services: [{ service: CatalogService, implementation: grpcImplementation(CatalogService, catalogHandlers(videos), logger) }],
    protoRoot,
    protoFiles: ["kino/catalog/v1/catalog_service.proto"],
  });
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: { postgres: () => videos.ping() },
    registry: createMetricsRegistry("catalog"),
  });
  const stopHealthProbe = probeDatabaseHealth(videos, grpc.health, logger);
  logger.info({ grpcPort: grpc.port, opsPort: ops.port }, "catalog listening");

  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 1000));
      await ops.close();
      await db.destroy();
    },
  };
}
