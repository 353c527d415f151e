import { intField, listenField, stringField, urlField, type ConfigOf } from "@kino/platform";
import { serviceIdentityField } from "@kino/grpc";
import { storageConfigSchema } from "@kino/storage";
import { trustedProxiesField } from "./http/client-address.ts";
import { httpLimitsConfigSchema } from "./http/limits-config.ts";
import { playbackConfigSchema } from "./origin/playback-config.ts";
import { playbackTokenConfigSchema } from "./playback/playback-token-config.ts";
import { uploadConfigSchema } from "./upload/upload-config.ts";
import { webConfigSchema } from "./web/web-config.ts";

export const gatewayConfigSchema = {
  ...storageConfigSchema,
  ...uploadConfigSchema,
  ...httpLimitsConfigSchema,
  ...playbackConfigSchema,
  ...playbackTokenConfigSchema,
  ...webConfigSchema,
  listen: listenField("KINO_GATEWAY_LISTEN", { description: "public address (Connect, gRPC-Web, gRPC, HTTP)", default: "127.0.0.1:8080" }),
  workers: intField("KINO_GATEWAY_WORKERS", {
    description: "gateway processes sharing the port (one per core suits a busy origin); past 1, a primary forks them, replaces crashed ones and holds their upload locks",
    default: 1,
    min: 1,
    max: 64,
  }),
  catalogUrl: stringField("KINO_CATALOG_URL", { description: "catalog service gRPC address (host:port)", default: "127.0.0.1:50051" }),
  analyticsUrl: stringField("KINO_ANALYTICS_URL", { description: "analytics service gRPC address (host:port)", default: "127.0.0.1:50052" }),
  authUrl: stringField("KINO_AUTH_URL", { description: "auth service gRPC address (host:port)", default: "127.0.0.1:50053" }),
  notifyUrl: stringField("KINO_NOTIFY_URL", { description: "notify service gRPC address (host:port)", default: "127.0.0.1:50055" }),
  searchUrl: stringField("KINO_SEARCH_URL", { description: "search service gRPC address (host:port)", default: "127.0.0.1:50054" }),
  accessTokenIssuer: stringField("KINO_AUTH_ISSUER", { description: "iss the auth service signs access tokens with", default: "kino-auth" }),
  accessTokenAudience: stringField("KINO_AUTH_AUDIENCE", { description: "aud of access tokens", default: "kino" }),
  apiKeyCacheMs: intField("KINO_API_KEY_CACHE_MS", {
    description: "how long an API key check is reused; revocation reaches every gateway within it",
    default: 3000,
    min: 0,
    max: 5000,
  }),
  accountCacheMs: intField("KINO_ACCOUNT_CACHE_MS", {
    description: "how long a user's role, tier and disabled flag are reused; disabling reaches every gateway within it",
    default: 30_000,
    min: 0,
    max: 60_000,
  }),
  avatarMaxBytes: intField("KINO_AVATAR_MAX_BYTES", { description: "largest avatar upload in bytes", default: 5 * 1024 * 1024, min: 1024 }),
  posterMaxBytes: intField("KINO_POSTER_MAX_BYTES", { description: "largest custom poster upload in bytes", default: 10 * 1024 * 1024, min: 1024 }),
  identity: serviceIdentityField(),
  trustedProxies: trustedProxiesField("KINO_TRUSTED_PROXIES"),
  corsOrigins: stringField("KINO_CORS_ORIGINS", {
    description: "comma-separated origins allowed by CORS, or * for any",
    default: "*",
  }),
  upstreamTimeoutMs: intField("KINO_UPSTREAM_TIMEOUT_MS", { description: "deadline of calls to services", default: 10_000, min: 100 }),
  redisUrl: urlField("KINO_REDIS_URL", ["redis", "rediss"], {
    description: "Redis shared by gateway hosts for rate limits",
    default: "redis://127.0.0.1:63790",
  }),
  rateLimitPerMinute: intField("KINO_RATE_LIMIT_PER_MINUTE", {
    description: "RPCs per signed-in user and minute across all gateway hosts; 0 turns limiting off",
    default: 1200,
    min: 0,
  }),
  rateLimitPerAddressPerMinute: intField("KINO_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", {
    description: "RPCs per client address and minute, signed in or not (several users can share one address); 0 turns it off",
    default: 3000,
    min: 0,
  }),
  uploadsPerMinute: intField("KINO_UPLOAD_RATE_LIMIT_PER_MINUTE", {
    description: "CreateUpload calls per user and minute, on top of the RPC limit",
    default: 30,
    min: 0,
  }),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;
