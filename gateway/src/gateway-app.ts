import { createAssertionMinter, createGrpcClient, createHealthClient } from "@kino/grpc";
import { defaultCueLimits } from "@kino/captions";
import type { Logger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { createPlaybackTokens } from "@kino/playback-tokens";
import { CaptionStoreService, CatalogService, ContentKeyService, VideoLifecycleService, VideoPosterService } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createStorage, storageFromConfig } from "@kino/storage";
import type { GatewayConfig } from "./config.ts";
import { startGateway, type RunningGateway } from "./gateway.ts";
import { createCaptionRoute } from "./captions/caption-route.ts";
import { catalogPlaybackResolver, createOriginFileCache, createOriginRoute } from "./origin/index.ts";
import { createPlaybackService } from "./playback/index.ts";
import { startRateLimits } from "./rate-limit/index.ts";
import { createAvatarRoute } from "./images/avatar-route.ts";
import { createPosterRoute } from "./images/poster-route.ts";
import { createThumbnailRoute } from "./thumbnails/thumbnail-route.ts";
import { createContentKeyRoute } from "./origin/content-key-route.ts";
import { createEdgeAccessRoute } from "./origin/edge-access-route.ts";
import { createUploadRoute, createUploadService, createUploadTokens, probeValidation } from "./upload/index.ts";
import { createWebRoute } from "./web/web-route.ts";
import type { WorkerLink } from "./workers/index.ts";

export interface RunningGatewayApp {
  gateway: RunningGateway;
  /** Stops accepting, finishes in-flight requests, closes clients and storage. */
  close(): Promise<void>;
}

/**
 * The whole gateway as main runs it: the public API, resumable uploads and
 * the HLS origin. `workerLink` is set in a worker of several (see
 * workers/supervisor.ts): uploads take their locks from the primary, and
 * /metrics answers for all the workers.
 */
export async function startGatewayApp(config: GatewayConfig, logger: Logger, workerLink?: WorkerLink): Promise<RunningGatewayApp> {
  const storage = createStorage(storageFromConfig(config), logger);
  const identity = createAssertionMinter(config.identity);
  const catalog = createGrpcClient(CatalogService, config.catalogUrl, { identity });
  const lifecycle = createGrpcClient(VideoLifecycleService, config.catalogUrl, { identity });
  const captionStore = createGrpcClient(CaptionStoreService, config.catalogUrl, { identity });
  const posterClient = createGrpcClient(VideoPosterService, config.catalogUrl, { identity });
  const contentKeys = createGrpcClient(ContentKeyService, config.catalogUrl, { identity });
  const analyticsHealth = createHealthClient(config.analyticsUrl);
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
    ...(workerLink ? { locks: { locker: workerLink.locker, exclusive: workerLink.exclusive } } : {}),
    logger: logger.child({ component: "uploads" }),
  });
  const limits = startRateLimits(config, logger);
  const resolvePlayback = catalogPlaybackResolver(lifecycle, {
    positiveTtlMs: config.playbackCacheTtlMs,
    maxStaleMs: config.playbackMaxStaleMs,
    maxEntries: config.playbackCacheEntries,
  });
  const playbackTokens = config.playbackTokenSecret ? createPlaybackTokens(config.playbackTokenSecret) : undefined;
  if (!playbackTokens) logger.warn("KINO_PLAYBACK_TOKEN_SECRET is not set: only public videos play; unlisted and private ones are refused");
  const avatars = createAvatarRoute({ storage, maxBytes: config.avatarMaxBytes, logger: logger.child({ component: "avatars" }) });
  const originCache = createOriginFileCache({
    fileBytes: config.originFileCacheBytes,
    segmentBytes: config.originSegmentCacheBytes,
    revalidateMs: config.originRevalidateMs,
  });
  // Another replica serves its copy of a replaced poster for at most KINO_ORIGIN_REVALIDATE_MS; this one drops it at once.
  const posters = createPosterRoute({
    storage,
    posters: posterClient,
    playback: lifecycle,
    maxBytes: config.posterMaxBytes,
    timeoutMs: config.upstreamTimeoutMs,
    onRemoved: (key) => originCache.forget(key),
  });
  // Another gateway replica sees a caption change within its playback cache's TTL; this one at once.
  const captions = createCaptionRoute({ storage, captionStore, maxBytes: defaultCueLimits.maxBytes, timeoutMs: config.upstreamTimeoutMs, onChange: (videoId) => resolvePlayback.forget(videoId) });
  const origin = createOriginRoute({ storage, resolvePlayback, tokens: playbackTokens, cache: originCache });
  const edgeAccess = createEdgeAccessRoute({ resolvePlayback, tokens: playbackTokens });
  const contentKey = createContentKeyRoute({ keys: contentKeys, resolvePlayback, tokens: playbackTokens, timeoutMs: config.upstreamTimeoutMs });
  const thumbnails = createThumbnailRoute({ storage, resolvePlayback, tokens: playbackTokens, origin });
  const web = createWebRoute({
    dir: config.webDir,
    publicBaseUrl: config.publicBaseUrl,
    collectorUrl: config.webCollectorUrl,
    logger: logger.child({ component: "web" }),
  });
  const gateway = await startGateway({
    config,
    logger,
    // The web app last: it takes the GETs no other route or RPC claims.
    routes: [uploads, avatars, posters, captions, contentKey, edgeAccess, thumbnails, origin, web],
    rateLimits: limits.limiters,
    ...(workerLink ? { workerLink } : {}),
    health: { storage: () => storage.ping(), analytics: () => analyticsHealth.check(AnalyticsService.typeName) },
    rpc: (router, auth) => {
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
      );
      router.service(
        PlaybackService,
        createPlaybackService({
          catalog,
          auth,
          tokens: playbackTokens,
          publicBaseUrl: config.publicBaseUrl,
          ttlSeconds: config.playbackTokenTtlSeconds,
          timeoutMs: config.upstreamTimeoutMs,
          logger: logger.child({ component: "playback-service" }),
        }),
      );
    },
  });
  return {
    gateway,
    async close() {
      await gateway.close();
      uploads.close();
      catalog.close();
      lifecycle.close();
      contentKeys.close();
      captionStore.close();
      posterClient.close();
      analyticsHealth.close();
      limits.close();
      await storage.close();
    },
  };
}
