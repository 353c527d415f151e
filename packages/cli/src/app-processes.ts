import { join } from "node:path";
import { identityFileName, principals, trustFileName } from "@kino/grpc";
import type { InfraUrls } from "./infra.ts";

/** What an application process is given to build its environment from. */
export interface AppEnvContext {
  infra: InfraUrls;
  /** The profile's data dir (absolute). */
  dataDir: string;
  /** KINO_API_KEYS value holding the generated dev key. */
  apiKeys: string;
  /** Signs upload URLs; generated once per data dir. */
  uploadSecret: string;
}

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
    name: "catalog",
    entry: "services/catalog/src/main.ts",
    url: "grpc://127.0.0.1:50051",
    healthUrl: "http://127.0.0.1:9401/healthz",
    env: ({ infra, dataDir }) => ({
      KINO_DATABASE_URL: infra.postgres,
      KINO_NATS_URL: infra.nats,
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
    name: "gateway",
    entry: "gateway/src/main.ts",
    url: "http://127.0.0.1:8080",
    healthUrl: "http://127.0.0.1:8080/healthz",
    env: ({ infra, dataDir, apiKeys, uploadSecret }) => ({
      KINO_GATEWAY_LISTEN: "127.0.0.1:8080",
      KINO_REDIS_URL: infra.redis,
      KINO_PUBLIC_BASE_URL: "http://127.0.0.1:8080",
      KINO_CATALOG_URL: "127.0.0.1:50051",
      KINO_ANALYTICS_URL: "127.0.0.1:50052",
      KINO_STORAGE_DIR: join(dataDir, "storage"),
      KINO_UPLOAD_STAGING_DIR: join(dataDir, "upload-staging"),
      KINO_UPLOAD_SECRET: uploadSecret,
      KINO_API_KEYS: apiKeys,
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
