import { trustedServicesField } from "@kino/grpc";
import { ConfigError, intField, listenField, stringField, urlField, type ConfigField, type ConfigOf } from "@kino/platform";
import { throttleLimitField } from "./throttle-limits.ts";
import { tiersField } from "./tiers.ts";

/** Empty, or at least 32 characters: a short secret would make the encryption of signing keys guessable. */
function secretField(env: string, description: string): ConfigField<string> {
  return {
    env,
    description,
    parse(raw) {
      if (raw === undefined || raw === "") return "";
      if (raw.length < 32) throw new ConfigError(env, `must be at least 32 characters, got ${raw.length}`);
      return raw;
    },
  };
}

export const authConfigSchema = {
  // A database of its own: kysely's migration table is per database, so the
  // auth service cannot share one with the catalog.
  databaseUrl: urlField("KINO_AUTH_DATABASE_URL", ["postgres", "postgresql"], {
    description: "PostgreSQL holding accounts, codes, sessions and signing keys",
    default: "postgres://kino@127.0.0.1:54329/kino_auth",
  }),
  listen: listenField("KINO_AUTH_LISTEN", { description: "gRPC listen address", default: "127.0.0.1:50053" }),
  opsListen: listenField("KINO_AUTH_OPS_LISTEN", { description: "HTTP address for /healthz and /metrics", default: "127.0.0.1:9404" }),
  smtpUrl: urlField("KINO_SMTP_URL", ["smtp", "smtps"], {
    description: "SMTP server that sends verification and sign-in codes",
    default: "smtp://127.0.0.1:1025",
  }),
  mailFrom: stringField("KINO_MAIL_FROM", { description: "From: of the mail Kino sends", default: "Kino <no-reply@kino.localhost>" }),
  issuer: stringField("KINO_AUTH_ISSUER", { description: "iss of access tokens", default: "kino-auth" }),
  audience: stringField("KINO_AUTH_AUDIENCE", { description: "aud of access tokens", default: "kino" }),
  refreshTokenDays: intField("KINO_AUTH_REFRESH_TOKEN_DAYS", {
    description: "how long a refresh token stays usable after it was issued",
    default: 30,
    min: 1,
    max: 365,
  }),
  // OWASP's argon2id baseline. Raising them is safe: each hash records its
  // own, and a sign-in rehashes with the current ones.
  argon2MemoryKib: intField("KINO_AUTH_ARGON2_MEMORY_KIB", { description: "argon2id memory cost (KiB)", default: 19_456, min: 8_192 }),
  argon2TimeCost: intField("KINO_AUTH_ARGON2_TIME_COST", { description: "argon2id iterations", default: 2, min: 1, max: 20 }),
  argon2Parallelism: intField("KINO_AUTH_ARGON2_PARALLELISM", { description: "argon2id lanes", default: 1, min: 1, max: 16 }),
  signingKeySecret: secretField(
    "KINO_AUTH_SIGNING_KEY_SECRET",
    "encrypts the private signing keys in the database (AES-256-GCM); empty stores them unencrypted",
  ),
  logLevel: stringField("KINO_LOG_LEVEL", { description: "pino log level", default: "info" }),
  shutdownTimeoutMs: intField("KINO_SHUTDOWN_TIMEOUT_MS", { description: "upper bound for a graceful stop", default: 10_000, min: 100 }),
};

export type AuthConfig = ConfigOf<typeof authConfigSchema>;

/**
 * The running service's settings: the shared ones (which commands such as
 * key rotation parse too), whom it answers, its throttles and its tiers.
 */
export const authServiceConfigSchema = {
  ...authConfigSchema,
  trustedServices: trustedServicesField(),
  redisUrl: urlField("KINO_AUTH_REDIS_URL", ["redis", "rediss"], {
    description: "Redis holding the sign-in and code throttles (without it those RPCs answer UNAVAILABLE)",
    default: "redis://127.0.0.1:63790",
  }),
  redisKeyPrefix: stringField("KINO_AUTH_REDIS_KEY_PREFIX", { description: "prefix of the throttles' Redis keys", default: "kino:auth" }),
  passwordFailuresPerEmail: throttleLimitField("KINO_AUTH_THROTTLE_PASSWORD_PER_EMAIL", "wrong passwords per email", {
    points: 10,
    windowSeconds: 60,
  }),
  signInFailuresPerAddress: throttleLimitField("KINO_AUTH_THROTTLE_SIGN_IN_PER_ADDRESS", "wrong passwords and codes per client address", {
    points: 30,
    windowSeconds: 60,
  }),
  codeMailsPerEmail: throttleLimitField("KINO_AUTH_THROTTLE_CODES_PER_EMAIL", "mailed codes (sign-up, sign-in, reset) per email", {
    points: 5,
    windowSeconds: 600,
  }),
  codeMailsPerAddress: throttleLimitField("KINO_AUTH_THROTTLE_CODES_PER_ADDRESS", "mailed codes per client address", {
    points: 20,
    windowSeconds: 600,
  }),
  tiers: tiersField("KINO_AUTH_TIERS"),
};

export type AuthServiceConfig = ConfigOf<typeof authServiceConfigSchema>;
