import { KinoError, type Logger } from "@kino/platform";
import {
  clickHouseServer,
  debianPackages,
  ensureDaemon,
  natsServer,
  postgresServer,
  redisServer,
  stopDaemon,
  type InfraServer,
  type RunningDaemon,
  type SystemPackage,
} from "@kino/stack";
import { portVariable, type InfraName, type ProfileConfig } from "./profiles.ts";

export type InfraUrls = Record<InfraName, string>;

export const infraNames: readonly InfraName[] = ["postgres", "redis", "nats", "clickhouse"];

/** Every server of the profile, whether or not the user replaced it with an external one. */
export function infraServers(config: ProfileConfig): Record<InfraName, InfraServer> {
  const { profile, ports } = config;
  return {
    postgres: postgresServer({ port: ports.postgres, portVariable: portVariable(profile, "postgres"), durable: profile.durable }),
    redis: redisServer({ port: ports.redis, portVariable: portVariable(profile, "redis") }),
    nats: natsServer({ port: ports.nats, portVariable: portVariable(profile, "nats") }),
    clickhouse: clickHouseServer({
      httpPort: ports.clickhouseHttp,
      tcpPort: ports.clickhouseTcp,
      httpPortVariable: portVariable(profile, "clickhouseHttp"),
      tcpPortVariable: portVariable(profile, "clickhouseTcp"),
    }),
  };
}

/** The servers we run for this profile: every one the user did not point elsewhere. */
export function managedServers(config: ProfileConfig): InfraServer[] {
  const servers = infraServers(config);
  return infraNames.filter((name) => config.external[name] === undefined).map((name) => servers[name]);
}

export function infraUrls(config: ProfileConfig): InfraUrls {
  const servers = infraServers(config);
  return Object.fromEntries(infraNames.map((name) => [name, config.external[name] ?? servers[name].url])) as InfraUrls;
}

const serverPackages: Record<InfraName, readonly SystemPackage[]> = {
  postgres: [debianPackages.postgresql],
  redis: [debianPackages.redis],
  nats: [debianPackages.nats],
  clickhouse: [debianPackages.clickhouseServer, debianPackages.clickhouseClient],
};

/** The Debian packages the managed servers need. */
export function infraPackages(config: ProfileConfig): SystemPackage[] {
  return infraNames.filter((name) => config.external[name] === undefined).flatMap((name) => serverPackages[name]);
}

/** Starts (or keeps) every managed server at once; fails listing each one that did not come up. */
export async function startInfra(config: ProfileConfig, logger: Logger): Promise<RunningDaemon[]> {
  for (const name of infraNames) {
    if (config.external[name]) logger.info(`using the ${name} server from ${config.profile.externalUrlVariables[name]}`);
  }
  const results = await Promise.allSettled(managedServers(config).map((server) => ensureDaemon(server, { dataDir: config.dataDir, logger })));
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  if (failures.length > 0) {
    const messages = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
    throw new KinoError("unavailable", messages.join("\n\n"), { cause: failures[0] });
  }
  return results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
}

/** Stops every server this profile started, found by pid file. */
export async function stopInfra(config: ProfileConfig, logger: Logger): Promise<void> {
  const servers = infraServers(config);
  await Promise.all(infraNames.map((name) => stopDaemon(servers[name], { dataDir: config.dataDir, logger })));
}
