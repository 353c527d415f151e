import { createDatabase, migrateToLatest } from "@kino/database";
import {
  createAssertionMinter,
  createAssertionVerifier,
  createGrpcClient,
  followDependencyHealth,
  grpcImplementation,
  principals,
  startGrpcServer,
} from "@kino/grpc";
import { connectNats, createTopology, ensureStreams } from "@kino/messaging";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { AnalyticsInternalService } from "@kino/proto/analytics/v1";
import { CatalogExportService, EngagementService } from "@kino/proto/catalog/v1";
import { SearchService } from "@kino/proto/search/v1";
import type { Kysely } from "kysely";
import type { SearchServiceConfig } from "./config.ts";
import { analyticsCoViews, catalogWatchHistory } from "./audience-sources.ts";
import { DocumentStore } from "./document-store.ts";
import { catalogCaptionText } from "./caption-text.ts";
import { followVideoEvents } from "./event-consumer.ts";
import { searchMigrations } from "./migrations/index.ts";
import { listingHandlers } from "./listing-handlers.ts";
import { createPostgresEngine } from "./postgres-engine.ts";
import { createPostgresListings } from "./postgres-listings.ts";
import { createRecommender } from "./recommender.ts";
import { createResultCache } from "./result-cache.ts";
import type { SearchDatabase } from "./schema.ts";
import { searchHandlers } from "./search-handlers.ts";
import { followViewCounts } from "./view-count-sync.ts";

export interface RunningSearch {
  grpcPort: number;
  opsPort: number;
  close(): Promise<void>;
}

/**
 * Migrates, follows the catalog's events into documents and analytics' view
 * counts into its own tables, and answers SearchService over gRPC.
 */
export async function startSearchService(config: SearchServiceConfig, logger: Logger): Promise<RunningSearch> {
  const db: Kysely<SearchDatabase> = createDatabase<SearchDatabase>({ url: config.databaseUrl });
  await migrateToLatest(db as Kysely<unknown>, searchMigrations, logger);
  const store = new DocumentStore(db);
  const topology = createTopology(config.natsPrefix);
  const nats = await connectNats({ url: config.natsUrl, name: "search", logger });
  await ensureStreams(await nats.jetstreamManager(), topology.streamConfigs());
  const cache = createResultCache({ url: config.redisUrl, prefix: config.cachePrefix, ttlMs: config.cacheTtlMs, logger: logger.child({ component: "cache" }) });
  const identity = createAssertionMinter(config.identity);
  const exports = createGrpcClient(CatalogExportService, config.catalogUrl, { identity });
  const follower = await followVideoEvents({
    nats,
    topology,
    name: config.consumerName,
    store,
    onHidden: () => cache.invalidate(),
    captionText: catalogCaptionText(exports),
    logger: logger.child({ component: "events" }),
  });
  const analytics = createGrpcClient(AnalyticsInternalService, config.analyticsUrl, { identity });
  const engagement = createGrpcClient(EngagementService, config.catalogUrl, { identity });
  const viewCounts = followViewCounts({ db, analytics, pollMs: config.viewCountsPollMs, logger: logger.child({ component: "view-counts" }) });
  const recommender = createRecommender({
    listings: createPostgresListings(db),
    coViews: analyticsCoViews(analytics, logger),
    history: catalogWatchHistory(engagement, logger),
  });

  const grpc = await startGrpcServer({
    listen: config.listen,
    services: [
      {
        service: SearchService,
        // Reached through the gateway, for signed-in users and anonymous visitors alike.
        implementation: grpcImplementation(SearchService, { ...searchHandlers(createPostgresEngine(db), cache), ...listingHandlers(recommender, cache) }, logger, {
          verifier: createAssertionVerifier(config.trustedServices),
          rules: { from: [principals.gateway], onBehalfOfUsers: true },
        }),
      },
    ],
  });
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: {
      postgres: () => store.ping(),
      nats: async () => {
        if (nats.isClosed()) throw new Error("connection closed");
        await nats.flush();
      },
    },
    registry: createMetricsRegistry("search"),
  });
  const stopHealthProbe = followDependencyHealth({ health: grpc.health, services: [SearchService.typeName], dependency: "PostgreSQL", check: () => store.ping(), logger });
  logger.info({ grpcPort: grpc.port, opsPort: ops.port }, "search listening");
  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 2000));
      await follower.stop();
      await viewCounts.stop();
      analytics.close();
      engagement.close();
      exports.close();
      cache.close();
      await ops.close();
      await nats.drain();
      await db.destroy();
    },
  };
}
