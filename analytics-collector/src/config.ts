import { boolField, enumField, intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";

const KiB = 1024;
const MiB = 1024 * KiB;

export const collectorConfigSchema = {
  listen: listenField("KINO_COLLECTOR_LISTEN", { description: "host:port for beacons, /healthz and /metrics", default: "127.0.0.1:8090" }),
  natsUrl: urlField("KINO_NATS_URL", ["nats", "tls"], { description: "NATS server with JetStream", default: "nats://127.0.0.1:42220" }),
  clickhouseUrl: urlField("KINO_CLICKHOUSE_URL", ["http", "https"], { description: "ClickHouse HTTP interface", default: "http://127.0.0.1:18123" }),
  clickhouseDatabase: stringField("KINO_CLICKHOUSE_DATABASE", { description: "ClickHouse database for analytics", default: "kino" }),
  logLevel: enumField("KINO_LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], { description: "log level", default: "info" }),

  streamName: stringField("KINO_COLLECTOR_STREAM", { description: "JetStream stream buffering accepted events", default: "ANALYTICS_EVENTS" }),
  subject: stringField("KINO_COLLECTOR_SUBJECT", { description: "subject the collector publishes events on", default: "kino.analytics.events" }),
  consumerName: stringField("KINO_COLLECTOR_CONSUMER", { description: "durable JetStream consumer of the ClickHouse sink", default: "clickhouse-sink" }),
  bufferMaxBytes: intField("KINO_COLLECTOR_BUFFER_MAX_BYTES", {
    description: "size of the durable buffer; when full, beacons get 503 with Retry-After",
    default: 2048 * MiB,
    min: 1 * MiB,
  }),
  maxPendingBytes: intField("KINO_COLLECTOR_MAX_PENDING_BYTES", {
    description: "events held in memory awaiting the buffer's acknowledgement; past it, 503",
    default: 64 * MiB,
    min: 1 * MiB,
  }),

  maxBodyBytes: intField("KINO_COLLECTOR_MAX_BODY_BYTES", { description: "largest beacon body or WebSocket message", default: 512 * KiB, min: 1 * KiB, max: 16 * MiB }),
  maxBatchEvents: intField("KINO_COLLECTOR_MAX_BATCH_EVENTS", { description: "most events in one batch", default: 1000, min: 1, max: 100_000 }),
  maxClockSkewPastSeconds: intField("KINO_COLLECTOR_MAX_PAST_SECONDS", {
    description: "client times older than this are clamped to it",
    default: 86_400,
    min: 0,
  }),
  maxClockSkewFutureSeconds: intField("KINO_COLLECTOR_MAX_FUTURE_SECONDS", {
    description: "client times further ahead than this are clamped to it",
    default: 300,
    min: 0,
  }),
  corsOrigins: stringField("KINO_COLLECTOR_CORS_ORIGINS", { description: "comma-separated player origins allowed to send beacons, or *", default: "*" }),
  trustProxy: boolField("KINO_COLLECTOR_TRUST_PROXY", {
    description: "take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it)",
    default: false,
  }),
  wsMaxBackpressureBytes: intField("KINO_COLLECTOR_WS_MAX_BACKPRESSURE_BYTES", {
    description: "unread acknowledgements a WebSocket client may leave queued before it is closed",
    default: 256 * KiB,
    min: 1 * KiB,
  }),

  runSink: boolField("KINO_COLLECTOR_RUN_SINK", {
    description: "run the ClickHouse sink in this process; off for ingest-only collectors beside separate sink processes",
    default: true,
  }),
  sinkBatchRows: intField("KINO_COLLECTOR_SINK_BATCH_ROWS", { description: "rows per ClickHouse insert", default: 10_000, min: 1 }),
  sinkMaxDelayMs: intField("KINO_COLLECTOR_SINK_MAX_DELAY_MS", { description: "longest a buffered event waits for a fuller insert", default: 1000, min: 1 }),
  sinkAckWaitMs: intField("KINO_COLLECTOR_SINK_ACK_WAIT_MS", {
    description: "how long a message pulled by a sink that died stays invisible before it is redelivered",
    default: 30_000,
    min: 1000,
  }),
  shutdownTimeoutMs: intField("KINO_COLLECTOR_SHUTDOWN_TIMEOUT_MS", { description: "bound on graceful shutdown", default: 20_000, min: 100 }),
};

export type CollectorConfig = ConfigOf<typeof collectorConfigSchema>;
