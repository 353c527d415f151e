import { resolve } from "node:path";
import { intField, parseConfig, urlField, type ConfigField } from "@kino/platform";

export type InfraName = "postgres" | "redis" | "nats" | "clickhouse";

export interface InfraPorts {
  postgres: number;
  redis: number;
  nats: number;
  clickhouseHttp: number;
  clickhouseTcp: number;
}

/** A named set of private ports and a data dir, so `up` and `test` never share servers. */
export interface Profile {
  name: "dev" | "test";
  /** Relative to the repository root. */
  dataDir: string;
  ports: InfraPorts;
  /** Prefix of the variables that move a port, e.g. KINO_DEV_REDIS_PORT. */
  portVariablePrefix: string;
  /** Variables naming an existing server to use instead of starting one. */
  externalUrlVariables: Record<InfraName, string>;
  /** Whether the database must survive a crash; a test cluster trades that for speed. */
  durable: boolean;
}

export const devProfile: Profile = {
  name: "dev",
  dataDir: ".kino/dev",
  ports: { postgres: 54329, redis: 63790, nats: 42220, clickhouseHttp: 18123, clickhouseTcp: 19000 },
  portVariablePrefix: "KINO_DEV",
  externalUrlVariables: {
    postgres: "KINO_DATABASE_URL",
    redis: "KINO_REDIS_URL",
    nats: "KINO_NATS_URL",
    clickhouse: "KINO_CLICKHOUSE_URL",
  },
  durable: true,
};

export const testProfile: Profile = {
  name: "test",
  dataDir: ".kino/test",
  ports: { postgres: 54339, redis: 63791, nats: 42221, clickhouseHttp: 18124, clickhouseTcp: 19001 },
  portVariablePrefix: "KINO_TEST",
  externalUrlVariables: {
    postgres: "KINO_TEST_POSTGRES_URL",
    redis: "KINO_TEST_REDIS_URL",
    nats: "KINO_TEST_NATS_URL",
    clickhouse: "KINO_TEST_CLICKHOUSE_URL",
  },
  durable: false,
};

const portVariableSuffixes: Record<keyof InfraPorts, string> = {
  postgres: "POSTGRES_PORT",
  redis: "REDIS_PORT",
  nats: "NATS_PORT",
  clickhouseHttp: "CLICKHOUSE_HTTP_PORT",
  clickhouseTcp: "CLICKHOUSE_TCP_PORT",
};

const urlProtocols: Record<InfraName, readonly string[]> = {
  postgres: ["postgres", "postgresql"],
  redis: ["redis", "rediss"],
  nats: ["nats", "tls"],
  clickhouse: ["http", "https"],
};

export function portVariable(profile: Profile, port: keyof InfraPorts): string {
  return `${profile.portVariablePrefix}_${portVariableSuffixes[port]}`;
}

/** A profile after the environment had its say. */
export interface ProfileConfig {
  profile: Profile;
  dataDir: string;
  ports: InfraPorts;
  /** Servers the user runs themselves, by URL; these are never started or stopped. */
  external: Partial<Record<InfraName, string>>;
}

export function loadProfileConfig(profile: Profile, root: string, env: NodeJS.ProcessEnv): ProfileConfig {
  const portFields = Object.fromEntries(
    (Object.keys(profile.ports) as (keyof InfraPorts)[]).map((key) => [
      key,
      intField(portVariable(profile, key), { description: `${key} port of the ${profile.name} stack`, default: profile.ports[key], min: 1, max: 65535 }),
    ]),
  ) as Record<keyof InfraPorts, ConfigField<number>>;
  const urlFields = Object.fromEntries(
    (Object.keys(profile.externalUrlVariables) as InfraName[]).map((name) => [
      name,
      urlField(profile.externalUrlVariables[name], urlProtocols[name], { description: `an existing ${name} server to use`, default: "" }),
    ]),
  ) as Record<InfraName, ConfigField<string>>;
  const ports = parseConfig(portFields, env);
  const urls = parseConfig(urlFields, env);
  const external = Object.fromEntries(Object.entries(urls).filter(([, url]) => url !== "")) as ProfileConfig["external"];
  return { profile, dataDir: resolve(root, profile.dataDir), ports, external };
}
