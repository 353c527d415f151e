import { serviceIdentityField, trustedServicesField } from "@kino/grpc";
import { intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";

/** Shared by the service and the rebuild command. */
export const searchConfigSchema = {
  databaseUrl: urlField("KINO_SEARCH_DATABASE_URL", ["postgres", "postgresql"], {
    description: "PostgreSQL database of its own holding the search documents",
    default: "postgres://kino@127.0.0.1:54329/kino_search",
  }),
  natsUrl: urlField("KINO_NATS_URL", ["nats"], { description: "NATS with JetStream: the catalog's event stream", default: "nats://127.0.0.1:42220" }),
  natsPrefix: stringField("KINO_NATS_PREFIX", { description: "prefix of Kino's stream and subject names", default: "kino" }),
  consumerName: stringField("KINO_SEARCH_CONSUMER", {
    description: "durable consumer name on the event stream, shared by every search replica",
    default: "search",
  }),
  catalogUrl: stringField("KINO_CATALOG_URL", {
    description: "catalog service gRPC address (host:port): a signed-in viewer's watch history, and the export a rebuild reads",
    default: "127.0.0.1:50051",
  }),
  identity: serviceIdentityField(),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type SearchConfig = ConfigOf<typeof searchConfigSchema>;

export const searchServiceConfigSchema = {
  ...searchConfigSchema,
  listen: listenField("KINO_SEARCH_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50054" }),
  opsListen: listenField("KINO_SEARCH_OPS_LISTEN", { description: "HTTP address for /healthz and /metrics", default: "127.0.0.1:9405" }),
  trustedServices: trustedServicesField(),
  analyticsUrl: stringField("KINO_ANALYTICS_URL", {
    description: "analytics service gRPC address (host:port): view counts and co-views",
    default: "127.0.0.1:50052",
  }),
  viewCountsPollMs: intField("KINO_SEARCH_VIEW_COUNTS_POLL_MS", {
    description: "how often view counts are copied from analytics",
    default: 30_000,
    min: 100,
  }),
  redisUrl: urlField("KINO_REDIS_URL", ["redis", "rediss"], {
    description: "Redis caching popular answers (empty-query listings, trending, related, frequent queries)",
    default: "redis://127.0.0.1:63790",
  }),
  cachePrefix: stringField("KINO_SEARCH_CACHE_PREFIX", { description: "prefix of search's Redis keys", default: "kino:search" }),
  cacheTtlMs: intField("KINO_SEARCH_CACHE_TTL_MS", {
    description: "lifetime of a cached answer; with the event delay it bounds how long a hidden video may linger in one",
    default: 3000,
    min: 100,
    max: 4000,
  }),
};

export type SearchServiceConfig = ConfigOf<typeof searchServiceConfigSchema>;
