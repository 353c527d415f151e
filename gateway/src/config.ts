import { ConfigError, intField, listenField, stringField, urlField, type ConfigField, type ConfigOf } from "@kino/platform";
import { serviceIdentityField } from "@kino/grpc";
import { storageConfigSchema } from "@kino/storage";
import { parseApiKeys, type ApiKeys } from "./auth/api-keys.ts";
import { httpLimitsConfigSchema } from "./http/limits-config.ts";
import { playbackConfigSchema } from "./origin/playback-config.ts";
import { playbackTokenConfigSchema } from "./playback/playback-token-config.ts";
import { uploadConfigSchema } from "./upload/upload-config.ts";

function apiKeysField(env: string): ConfigField<ApiKeys> {
  return {
    env,
    description: "comma-separated owner:key pairs accepted as bearer tokens",
    parse(raw) {
      try {
        return parseApiKeys(raw ?? "");
      } catch (error) {
        throw new ConfigError(env, error instanceof Error ? error.message : String(error));
      }
    },
  };
}

export const gatewayConfigSchema = {
  ...storageConfigSchema,
  ...uploadConfigSchema,
  ...httpLimitsConfigSchema,
  ...playbackConfigSchema,
  ...playbackTokenConfigSchema,
  listen: listenField("KINO_GATEWAY_LISTEN", { description: "public address (Connect, gRPC-Web, gRPC, HTTP)", default: "127.0.0.1:8080" }),
  catalogUrl: stringField("KINO_CATALOG_URL", { description: "catalog service gRPC address (host:port)", default: "127.0.0.1:50051" }),
  analyticsUrl: stringField("KINO_ANALYTICS_URL", { description: "analytics service gRPC address (host:port)", default: "127.0.0.1:50052" }),
  apiKeys: apiKeysField("KINO_API_KEYS"),
  identity: serviceIdentityField(),
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
    description: "RPCs per caller and minute across all gateway hosts; 0 turns limiting off",
    default: 1200,
    min: 0,
  }),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;
