import { createGrpcClient } from "@kino/grpc";
import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createStorage, storageFromConfig } from "@kino/storage";
import { gatewayConfigSchema } from "./config.ts";
import { startGateway } from "./gateway.ts";
import { catalogPlaybackResolver, createOriginRoute } from "./origin/index.ts";
import { createUploadRoute, createUploadService, createUploadTokens, probeValidation } from "./upload/index.ts";

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ name: "gateway", level: config.logLevel });
if (config.apiKeys.size === 0) logger.warn("KINO_API_KEYS is empty: every call is anonymous and can only read READY videos");

try {
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
  const origin = createOriginRoute({ storage, resolvePlayback: catalogPlaybackResolver(lifecycle) });
  const gateway = await startGateway({
    config,
    logger,
    routes: [uploads, origin],
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
  installShutdown({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    steps: [
      { name: "gateway", run: () => gateway.close() },
      { name: "uploads", run: () => uploads.close() },
      { name: "clients", run: () => (catalog.close(), lifecycle.close()) },
      { name: "storage", run: () => storage.close() },
    ],
  });
} catch (error) {
  logger.fatal({ err: error }, "gateway failed to start");
  process.exit(1);
}
