import { createAnalyticsStore } from "@kino/analytics-store";
import {
  createAssertionMinter,
  createAssertionVerifier,
  createGrpcClient,
  createHealthClient,
  followDependencyHealth,
  grpcImplementation,
  principals,
  startGrpcServer,
} from "@kino/grpc";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { AnalyticsInternalService, AnalyticsService } from "@kino/proto/analytics/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { analyticsHandlers } from "./analytics-handlers.ts";
import type { AnalyticsConfig } from "./config.ts";
import { analyticsInternalHandlers } from "./internal/internal-handlers.ts";
import { catalogVideoAccess } from "./video-access.ts";

export interface RunningAnalytics {
  grpcPort: number;
  opsPort: number;
  /** Stop accepting, drain in-flight calls, close connections. */
  close(): Promise<void>;
}

/** Owner-wide queries list at most this many of an owner's videos. */
const maxOwnedVideos = 2000;
const catalogTimeoutMs = 5000;


/**
 * The analytics query service: applies the store's migrations (idempotent;
 * the collector applies the same ones, so either may start first), then
 * answers AnalyticsService over gRPC.
 */
export async function startAnalyticsService(config: AnalyticsConfig, logger: Logger): Promise<RunningAnalytics> {
  const store = createAnalyticsStore({ url: config.clickhouseUrl, database: config.clickhouseDatabase, logger });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const catalog = createGrpcClient(CatalogService, config.catalogUrl, { identity: createAssertionMinter(config.identity) });
  const catalogHealth = createHealthClient(config.catalogUrl);
  const access = catalogVideoAccess({ catalog, timeoutMs: catalogTimeoutMs, maxOwnedVideos });

  const verifier = createAssertionVerifier(config.trustedServices);
  const grpc = await startGrpcServer({
    listen: config.listen,
    services: [
      {
        service: AnalyticsService,
        implementation: grpcImplementation(AnalyticsService, analyticsHandlers({ store, access }), logger, {
          verifier,
          rules: { from: [principals.gateway], onBehalfOfUsers: true },
        }),
      },
      {
        // View counts and co-views for search; never for a user, so no token relayed by the gateway reaches it.
        service: AnalyticsInternalService,
        implementation: grpcImplementation(AnalyticsInternalService, analyticsInternalHandlers(store), logger, {
          verifier,
          rules: { from: [principals.search], onBehalfOfUsers: false },
        }),
      },
    ],
  });
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: {
      clickhouse: () => store.ping(),
      catalog: () => catalogHealth.check(CatalogService.typeName),
    },
    registry: createMetricsRegistry("analytics"),
  });
  const stopHealthProbe = followDependencyHealth({
    health: grpc.health,
    services: [AnalyticsService.typeName, AnalyticsInternalService.typeName],
    dependency: "ClickHouse",
    check: () => store.ping(),
    logger,
  });
  logger.info({ grpcPort: grpc.port, opsPort: ops.port }, "analytics listening");

  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 1000));
      await ops.close();
      catalog.close();
      catalogHealth.close();
      await store.close();
    },
  };
}
