import { createDatabase, migrateToLatest } from "@kino/database";
import { createAssertionVerifier, createRetryAfterNotes, followDependencyHealth, grpcImplementation, startGrpcServer } from "@kino/grpc";
import { connectNats, createTopology, ensureStreams } from "@kino/messaging";
import { createMetricsRegistry, splitListen, startOpsServer, type Logger } from "@kino/platform";
import { CaptionStoreService, CatalogExportService, CatalogService, ContentKeyService, EngagementService, VideoLifecycleService, VideoPosterService } from "@kino/proto/catalog/v1";
import type { Kysely } from "kysely";
import { captionStoreCallers, catalogCallers, contentKeyCallers, engagementCallers, exportCallers, lifecycleCallers, posterCallers } from "./caller-rules.ts";
import { captionStoreHandlers, withPlaybackCaptions } from "./caption-handlers.ts";
import { catalogHandlers } from "./catalog-handlers.ts";
import { contentKeyHandlers } from "./content-keys/content-key-handlers.ts";
import { createCommentThrottle } from "./comment-throttle.ts";
import type { CatalogConfig } from "./config.ts";
import { engagementHandlers } from "./engagement-handlers.ts";
import { exportHandlers } from "./export-handlers.ts";
import { lifecycleHandlers } from "./lifecycle-handlers.ts";
import { catalogMigrations } from "./migrations/index.ts";
import { startOutboxRelay, type OutboxRelay } from "./outbox-relay.ts";
import { posterHandlers } from "./poster-handlers.ts";
import { connectRateLimitRedis } from "./rate-limit-redis.ts";
import type { CatalogDatabase } from "./schema.ts";
import { createVideoChangeFeed } from "./video-change-feed.ts";
import { VideoRepository } from "./video-repository.ts";

export interface RunningCatalog {
  grpcPort: number;
  opsPort: number;
  outbox: OutboxRelay;
  /** Stop accepting, drain in-flight calls, stop relaying, close connections. */
  close(): Promise<void>;
}


export async function startCatalogService(config: CatalogConfig, logger: Logger): Promise<RunningCatalog> {
  const db: Kysely<CatalogDatabase> = createDatabase<CatalogDatabase>({ url: config.databaseUrl });
  await migrateToLatest(db as Kysely<unknown>, catalogMigrations, logger);
  const videos = new VideoRepository(db);

  const topology = createTopology(config.natsPrefix);
  const nats = await connectNats({ url: config.natsUrl, name: "catalog", logger });
  await ensureStreams(await nats.jetstreamManager(), topology.streamConfigs());
  const outbox = startOutboxRelay({ db, js: nats.jetstream(), topology, logger });
  const changes = createVideoChangeFeed({ url: config.databaseUrl, logger });
  const redis = await connectRateLimitRedis(config.redisUrl, logger);
  const commentThrottle = createCommentThrottle(redis, config.redisKeyPrefix, { perMinute: config.commentsPerMinute, perDay: config.commentsPerDay });
  const retryAfter = createRetryAfterNotes();

  const verifier = createAssertionVerifier(config.trustedServices);
  const lifecycle = lifecycleHandlers(db, videos);
  const grpc = await startGrpcServer({
    listen: config.listen,
    services: [
      {
        service: CatalogService,
        implementation: grpcImplementation(CatalogService, catalogHandlers(db, videos, changes, config.masterKeys), logger, { verifier, rules: catalogCallers }),
      },
      {
        service: VideoLifecycleService,
        implementation: grpcImplementation(
          VideoLifecycleService,
          { ...lifecycle, getPlayback: withPlaybackCaptions(db, videos, lifecycle.getPlayback) },
          logger,
          { verifier, rules: lifecycleCallers },
        ),
      },
      {
        service: EngagementService,
        implementation: retryAfter.trailers(
          grpcImplementation(EngagementService, engagementHandlers({ db, videos, commentThrottle, retryAfter }), logger, { verifier, rules: engagementCallers }),
        ),
      },
      {
        service: CaptionStoreService,
        implementation: grpcImplementation(CaptionStoreService, captionStoreHandlers(db, videos), logger, { verifier, rules: captionStoreCallers }),
      },
      {
        service: CatalogExportService,
        implementation: grpcImplementation(CatalogExportService, exportHandlers(db), logger, { verifier, rules: exportCallers }),
      },
      {
        service: ContentKeyService,
        implementation: grpcImplementation(ContentKeyService, contentKeyHandlers(db, videos, config.masterKeys), logger, { verifier, rules: contentKeyCallers }),
      },
      {
        service: VideoPosterService,
        implementation: grpcImplementation(VideoPosterService, posterHandlers(db, videos), logger, { verifier, rules: posterCallers }),
      },
    ],
  });
  const ops = await startOpsServer({
    ...splitListen(config.opsListen),
    health: {
      postgres: () => videos.ping(),
      nats: async () => {
        if (nats.isClosed()) throw new Error("connection closed");
        await nats.flush();
      },
    },
    registry: createMetricsRegistry("catalog"),
  });
  const stopHealthProbe = followDependencyHealth({
    health: grpc.health,
    services: [CatalogService.typeName, VideoLifecycleService.typeName, EngagementService.typeName, CaptionStoreService.typeName, CatalogExportService.typeName, VideoPosterService.typeName, ContentKeyService.typeName],
    dependency: "PostgreSQL",
    check: () => videos.ping(),
    logger,
  });
  logger.info({ grpcPort: grpc.port, opsPort: ops.port }, "catalog listening");

  return {
    grpcPort: grpc.port,
    opsPort: ops.port,
    outbox,
    async close() {
      stopHealthProbe();
      await grpc.shutdown(Math.max(100, config.shutdownTimeoutMs - 2000));
      await changes.close();
      await outbox.close();
      await ops.close();
      redis.disconnect();
      await nats.drain();
      await db.destroy();
    },
  };
}
