import { trustedServicesField } from "@kino/grpc";
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
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type SearchConfig = ConfigOf<typeof searchConfigSchema>;

export const searchServiceConfigSchema = {
  ...searchConfigSchema,
  listen: listenField("KINO_SEARCH_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50054" }),
  opsListen: listenField("KINO_SEARCH_OPS_LISTEN", { description: "HTTP address for /healthz and /metrics", default: "127.0.0.1:9405" }),
  trustedServices: trustedServicesField(),
};

export type SearchServiceConfig = ConfigOf<typeof searchServiceConfigSchema>;
