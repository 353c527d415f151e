import { serviceIdentityField, trustedServicesField } from "@kino/grpc";
import { boolField, intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";

const hour = 3_600_000;

export const notifyConfigSchema = {
  // A database of its own: kysely's migration table is per database.
  databaseUrl: urlField("KINO_NOTIFY_DATABASE_URL", ["postgres", "postgresql"], {
    description: "PostgreSQL holding endpoints, deliveries, the feed and preferences",
    default: "postgres://kino@127.0.0.1:54329/kino_notify",
  }),
  listen: listenField("KINO_NOTIFY_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50055" }),
  opsListen: listenField("KINO_NOTIFY_OPS_LISTEN", { description: "HTTP address for /healthz and /metrics", default: "127.0.0.1:9406" }),
  natsUrl: urlField("KINO_NATS_URL", ["nats"], { description: "NATS server with JetStream (the catalog's events)", default: "nats://127.0.0.1:42220" }),
  natsPrefix: stringField("KINO_NATS_PREFIX", { description: "prefix of Kino's stream and subject names", default: "kino" }),
  authUrl: stringField("KINO_AUTH_URL", { description: "auth service gRPC address (host:port): owners' email addresses", default: "127.0.0.1:50053" }),
  smtpUrl: urlField("KINO_SMTP_URL", ["smtp", "smtps"], { description: "SMTP server that sends notification mail", default: "smtp://127.0.0.1:1025" }),
  mailFrom: stringField("KINO_MAIL_FROM", { description: "From: of the mail Kino sends", default: "Kino <no-reply@kino.localhost>" }),
  webhookTimeoutMs: intField("KINO_NOTIFY_WEBHOOK_TIMEOUT_MS", {
    description: "how long one delivery may take to connect and answer its headers",
    default: 10_000,
    min: 100,
    max: 30_000,
  }),
  retryBaseMs: intField("KINO_NOTIFY_RETRY_BASE_MS", {
    description: "delay before the second attempt of a webhook or mail; doubled per attempt, with jitter",
    default: 30_000,
    min: 10,
  }),
  retryMaxDelayMs: intField("KINO_NOTIFY_RETRY_MAX_DELAY_MS", { description: "longest delay between two attempts", default: hour, min: 10 }),
  retryWindowMs: intField("KINO_NOTIFY_RETRY_WINDOW_MS", {
    description: "how long a webhook delivery or a mail is retried before it is given up",
    default: 24 * hour,
    min: 100,
  }),
  disableAfterMs: intField("KINO_NOTIFY_DISABLE_AFTER_MS", {
    description: "an endpoint failing this long without a success is disabled and its owner emailed",
    default: 24 * hour,
    min: 100,
  }),
  allowPrivateWebhooks: boolField("KINO_NOTIFY_ALLOW_PRIVATE_WEBHOOKS", {
    description: "accept webhook URLs on loopback, private and link-local addresses (tests, closed networks)",
    default: false,
  }),
  pollMs: intField("KINO_NOTIFY_POLL_MS", { description: "how often the delivery and mail workers look for due work", default: 1000, min: 10 }),
  identity: serviceIdentityField(),
  trustedServices: trustedServicesField(),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type NotifyConfig = ConfigOf<typeof notifyConfigSchema>;
