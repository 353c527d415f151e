import { serviceIdentityField, trustedServicesField } from "@kino/grpc";
import { intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";

export const analyticsConfigSchema = {
  clickhouseUrl: urlField("KINO_CLICKHOUSE_URL", ["http", "https"], {
    description: "ClickHouse HTTP interface holding the beacons",
    default: "http://127.0.0.1:18123",
  }),
  clickhouseDatabase: stringField("KINO_CLICKHOUSE_DATABASE", { description: "ClickHouse database for analytics", default: "kino" }),
  catalogUrl: stringField("KINO_CATALOG_URL", {
    description: "catalog service gRPC address (host:port), asked who owns a video",
    default: "127.0.0.1:50051",
  }),
  listen: listenField("KINO_ANALYTICS_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50052" }),
  opsListen: listenField("KINO_ANALYTICS_OPS_LISTEN", {
    description: "HTTP address for /healthz and /metrics",
    default: "127.0.0.1:9403",
  }),
  trustedServices: trustedServicesField(),
  identity: serviceIdentityField(),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", {
    description: "upper bound for a graceful stop",
    default: 10_000,
    min: 100,
  }),
};

export type AnalyticsConfig = ConfigOf<typeof analyticsConfigSchema>;
