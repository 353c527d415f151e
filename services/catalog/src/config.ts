import { trustedServicesField } from "@kino/grpc";
import { masterKeysField } from "./content-keys/master-keys.ts";
import { intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";

export const catalogConfigSchema = {
  databaseUrl: urlField("KINO_DATABASE_URL", ["postgres", "postgresql"], {
    description: "PostgreSQL holding the video tables",
    default: "postgres://kino@127.0.0.1:54329/kino",
  }),
  listen: listenField("KINO_CATALOG_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50051" }),
  opsListen: listenField("KINO_CATALOG_OPS_LISTEN", {
    description: "HTTP address for /healthz and /metrics",
    default: "127.0.0.1:9401",
  }),
  natsUrl: urlField("KINO_NATS_URL", ["nats"], { description: "NATS server with JetStream", default: "nats://127.0.0.1:42220" }),
  natsPrefix: stringField("KINO_NATS_PREFIX", { description: "prefix of Kino's stream and subject names", default: "kino" }),
  redisUrl: urlField("KINO_REDIS_URL", ["redis", "rediss"], {
    description: "Redis holding the comment rate limits (without it CreateComment answers UNAVAILABLE)",
    default: "redis://127.0.0.1:63790",
  }),
  redisKeyPrefix: stringField("KINO_CATALOG_REDIS_KEY_PREFIX", { description: "prefix of the catalog's Redis keys", default: "kino:catalog" }),
  commentsPerMinute: intField("KINO_CATALOG_COMMENTS_PER_MINUTE", { description: "comments one user may post per minute", default: 10, min: 1 }),
  commentsPerDay: intField("KINO_CATALOG_COMMENTS_PER_DAY", { description: "comments one user may post per day", default: 200, min: 1 }),
  trustedServices: trustedServicesField(),
  masterKeys: masterKeysField(),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", {
    description: "upper bound for a graceful stop",
    default: 10_000,
    min: 100,
  }),
};

export type CatalogConfig = ConfigOf<typeof catalogConfigSchema>;
