import { createGrpcClient } from "@kino/grpc";
import { Redis } from "ioredis";
import type { Logger } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createStorage, storageFromConfig } from "@kino/storage";
import type { GatewayConfig } from "./config.ts";
import { startGateway, type RunningGateway } from "./gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "./origin/index.ts";
import { createFixedWindowLimiter } from "./rate-limit/index.ts";
import { createUploadRoute, createUploadService, createUploadTokens, probeValidation } from "./upload/index.ts";

export interface RunningGatewayApp {
  gateway: RunningGateway;
  /** Stops accepting, finishes in-flight requests, closes clients and storage. */
  close(): Promise<void>;
}

/** The whole gateway as main runs it: the public API, resumable uploads and the HLS origin. */
export async function startGatewayApp(config: GatewayConfig, logger: Logger): Promise<RunningGatewayApp> {
  const storage = createStorage(storageFromConfig(config), logger);
  const catalog = createGrpcClient(CatalogService, config.catalogUrl);
  const lifecycle = createGrpcClient(VideoLifecycleService, config.catalogUrl);
  const tokens = createUploadTokens(config.uploadSecret);
  const uploads = await createUploadRoute({
    tokens,
    stagingDir: config.uploadStagingDir,
    storage,
    lifecycle,
    validateSource: probeValidation,
    hostId: config.uploadHostId,
    peers: config.uploadPeers,
    publicBaseUrl: config.publicBaseUrl,
    maxSizeBytes: config.uploadMaxBytes,
    logger: logger.child({ component: "uploads" }),
  });
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Errors surface per command (and the limiter allows the call); this keeps ioredis from logging each reconnect.
  redis.on("error", () => {});
  void redis.connect().catch(() => {});
  const rateLimiter =
    config.rateLimitPerMinute > 0
      ? createFixedWindowLimiter({ redis, limit: config.rateLimitPerMinute, windowMs: 60_000, prefix: "kino:ratelimit", logger })
      : undefined;
  const origin = createOriginRoute({ storage, resolvePlayback: catalogPlaybackResolver(lifecycle) });
  const gateway = await startGateway({
    config,
    logger,
    routes: [uploads, origin],
    rateLimiter,
    health: { storage: () => storage.ping() },
    rpc: (router, auth) =>
      router.service(
        UploadService,
        createUploadService({
          catalog,
          auth,
          tokens,
          publicBaseUrl: config.publicBaseUrl,
          maxSizeBytes: config.uploadMaxBytes,
          expiresInMs: config.uploadUrlTtlMs,
          timeoutMs: config.upstreamTimeoutMs,
          logger: logger.child({ component: "upload-service" }),
        }),
      ),
  });
  return {
    gateway,
    async close() {
      await gateway.close();
      uploads.close();
      catalog.close();
      lifecycle.close();
      redis.disconnect();
      await storage.close();
    },
  };
}
