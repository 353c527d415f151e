import { join } from "node:path";
import { identityFileName, principals, trustFileName } from "@kino/grpc";
import type { InfraUrls } from "./infra.ts";

/** Secrets `kino up` generates once per data dir; commands that only inspect processes leave them empty. */
export interface DevSecrets {
  /** Signs upload URLs. */
  uploadSecret: string;
  /** Signs playback tokens. */
  playbackTokenSecret: string;
  /** Encrypts the auth service's signing keys at rest. */
  signingKeySecret: string;
}

/** What an application process is given to build its environment from. */
export interface AppEnvContext {
  infra: InfraUrls;
  /** The profile's data dir (absolute). */
  dataDir: string;
  secrets?: DevSecrets;
}

const noSecrets: DevSecrets = { uploadSecret: "", playbackTokenSecret: "", signingKeySecret: "" };

/** Services that keep their tables in a database of their own (kysely's migration table is per database). */
export const serviceDatabases = ["kino_auth", "kino_notify", "kino_search"] as const;
export type ServiceDatabase = (typeof serviceDatabases)[number];

/** A service's own database, next to the catalog's on the same server. */
export function serviceDatabaseUrl(postgresUrl: string, name: ServiceDatabase): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const devInbox = { smtpPort: 1025, opsListen: "127.0.0.1:8025" } as const;

/** A Kino process `kino up` runs as `node --import tsx <entry>` from the repository root. */
export interface AppProcess {
  name: string;
  /** Relative to the repository root. */
  entry: string;
  /** Where clients reach it, for the table `up` prints. */
  url: string;
  /** Answers 200 once the process is ready. */
  healthUrl: string;
  env(context: AppEnvContext): Record<string, string>;
}

/** Where `kino up` keeps the services' signing keys (made once per data dir). */
export function serviceKeysDir(dataDir: string): string {
  return join(dataDir, "service-keys");
}

const trustEnv = (dataDir: string) => ({ KINO_TRUSTED_SERVICES_FILE: join(serviceKeysDir(dataDir), trustFileName) });
const identityEnv = (dataDir: string, principal: string) => ({
  KINO_SERVICE_IDENTITY_FILE: join(serviceKeysDir(dataDir), identityFileName(principal)),
});

export const appProcesses: readonly AppProcess[] = [
  {
    name: "mail",
    entry: "packages/cli/src/mail/dev-inbox-main.ts",
    url: `smtp://127.0.0.1:${devInbox.smtpPort}`,
    healthUrl: `http://${devInbox.opsListen}/healthz`,
    env: ({ dataDir }) => ({
      KINO_DEV_SMTP_PORT: String(devInbox.smtpPort),
      KINO_DEV_INBOX_OPS_LISTEN: devInbox.opsListen,
      KINO_DEV_INBOX_DIR: join(dataDir, "mail"),
    }),
  },
  {
    name: "auth",
    entry: "services/auth/src/main.ts",
    url: "grpc://127.0.0.1:50053",
    healthUrl: "http://127.0.0.1:9404/healthz",
    env: ({ infra, dataDir, secrets = noSecrets }) => ({
      KINO_AUTH_DATABASE_URL: serviceDatabaseUrl(infra.postgres, "kino_auth"),
      KINO_AUTH_REDIS_URL: infra.redis,
      KINO_AUTH_LISTEN: "127.0.0.1:50053",
      KINO_AUTH_OPS_LISTEN: "127.0.0.1:9404",
      KINO_SMTP_URL: `smtp://127.0.0.1:${devInbox.smtpPort}`,
      KINO_AUTH_SIGNING_KEY_SECRET: secrets.signingKeySecret,
      ...trustEnv(dataDir),
    }),
  },
  {
    name: "catalog",
    entry: "services/catalog/src/main.ts",
    url: "grpc://127.0.0.1:50051",
    healthUrl: "http://127.0.0.1:9401/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_DATABASE_URL: infra.postgres,
      KINO_NATS_URL: infra.nats,
      KINO_REDIS_URL: infra.redis,
      KINO_CATALOG_LISTEN: "127.0.0.1:50051",
      KINO_CATALOG_OPS_LISTEN: "127.0.0.1:9401",
      ...trustEnv(dataDir),
    }),
  },
  {
    name: "analytics",
    entry: "services/analytics/src/main.ts",
    url: "grpc://127.0.0.1:50052",
    healthUrl: "http://127.0.0.1:9403/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_CLICKHOUSE_URL: infra.clickhouse,
      KINO_CATALOG_URL: "127.0.0.1:50051",
      KINO_ANALYTICS_LISTEN: "127.0.0.1:50052",
      KINO_ANALYTICS_OPS_LISTEN: "127.0.0.1:9403",
      ...trustEnv(dataDir),
      ...identityEnv(dataDir, principals.analytics),
    }),
  },
  {
    name: "notify",
    entry: "services/notify/src/main.ts",
    url: "grpc://127.0.0.1:50055",
    healthUrl: "http://127.0.0.1:9406/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_NOTIFY_DATABASE_URL: serviceDatabaseUrl(infra.postgres, "kino_notify"),
      KINO_NATS_URL: infra.nats,
      KINO_AUTH_URL: "127.0.0.1:50053",
      KINO_NOTIFY_LISTEN: "127.0.0.1:50055",
      KINO_NOTIFY_OPS_LISTEN: "127.0.0.1:9406",
      KINO_SMTP_URL: `smtp://127.0.0.1:${devInbox.smtpPort}`,
      // A local stack: webhook receivers on this machine are what a developer tries first.
      KINO_NOTIFY_ALLOW_PRIVATE_WEBHOOKS: "true",
      ...trustEnv(dataDir),
      ...identityEnv(dataDir, principals.notify),
    }),
  },
  {
    name: "search",
    entry: "services/search/src/main.ts",
    url: "grpc://127.0.0.1:50054",
    healthUrl: "http://127.0.0.1:9405/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_SEARCH_DATABASE_URL: serviceDatabaseUrl(infra.postgres, "kino_search"),
      KINO_NATS_URL: infra.nats,
      KINO_SEARCH_LISTEN: "127.0.0.1:50054",
      KINO_SEARCH_OPS_LISTEN: "127.0.0.1:9405",
      KINO_REDIS_URL: infra.redis,
      KINO_ANALYTICS_URL: "127.0.0.1:50052",
      KINO_CATALOG_URL: "127.0.0.1:50051",
      ...trustEnv(dataDir),
      ...identityEnv(dataDir, principals.search),
    }),
  },
  {
    name: "gateway",
    entry: "gateway/src/main.ts",
    url: "http://127.0.0.1:8080",
    healthUrl: "http://127.0.0.1:8080/healthz",
    env: ({ infra, dataDir, secrets = noSecrets }) => ({
      KINO_GATEWAY_LISTEN: "127.0.0.1:8080",
      KINO_REDIS_URL: infra.redis,
      KINO_PUBLIC_BASE_URL: "http://127.0.0.1:8080",
      KINO_CATALOG_URL: "127.0.0.1:50051",
      KINO_ANALYTICS_URL: "127.0.0.1:50052",
      KINO_STORAGE_DIR: join(dataDir, "storage"),
      KINO_UPLOAD_STAGING_DIR: join(dataDir, "upload-staging"),
      KINO_UPLOAD_SECRET: secrets.uploadSecret,
      KINO_PLAYBACK_TOKEN_SECRET: secrets.playbackTokenSecret,
      KINO_AUTH_URL: "127.0.0.1:50053",
      KINO_NOTIFY_URL: "127.0.0.1:50055",
      KINO_SEARCH_URL: "127.0.0.1:50054",
      ...identityEnv(dataDir, principals.gateway),
    }),
  },
  {
    name: "transcoder",
    entry: "transcoder/src/main.ts",
    url: "http://127.0.0.1:9402",
    healthUrl: "http://127.0.0.1:9402/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_NATS_URL: infra.nats,
      KINO_TRANSCODER_OPS_LISTEN: "127.0.0.1:9402",
      KINO_STORAGE_DIR: join(dataDir, "storage"),
      KINO_CATALOG_URL: "127.0.0.1:50051",
      ...identityEnv(dataDir, principals.transcoder),
    }),
  },
  {
    name: "analytics-collector",
    entry: "analytics-collector/src/main.ts",
    url: "http://127.0.0.1:8090",
    healthUrl: "http://127.0.0.1:8090/healthz",
    env: ({ infra }) => ({
      KINO_COLLECTOR_LISTEN: "127.0.0.1:8090",
      KINO_NATS_URL: infra.nats,
      KINO_CLICKHOUSE_URL: infra.clickhouse,
    }),
  },
];
