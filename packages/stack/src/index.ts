export { stackLayout, type StackLayout } from "./layout.ts";
export { findFreePort, isPortFree } from "./ports.ts";
export type { DaemonIdentity, DaemonSpec, LaunchContext, PortClaim } from "./daemon/daemon-spec.ts";
export type { LaunchPlan, RunAs } from "./daemon/spawn-detached.ts";
export { defaultRestartPolicy, restartDelayMs, type RestartPolicy } from "./daemon/restart-policy.ts";
export type { RecordedExit, SupervisorState } from "./daemon/supervisor-state.ts";
export { ensureDaemon, type EnsureOptions, type RunningDaemon } from "./daemon/ensure-daemon.ts";
export { stopDaemon, type StopDaemonOptions } from "./daemon/stop-daemon.ts";
export { daemonStatus, type DaemonStatus } from "./daemon/daemon-status.ts";
export { tailLog } from "./daemon/log-tail.ts";
export { httpOk } from "./probes/http-ok.ts";
export { postgresQuery } from "./probes/postgres-query.ts";
export { natsJetStreamReady } from "./probes/nats-jetstream.ts";
export type { InfraServer } from "./servers/infra-server.ts";
export { postgresServer, type PostgresOptions } from "./servers/postgres.ts";
export { redisServer, type RedisOptions } from "./servers/redis.ts";
export { natsServer, type NatsOptions } from "./servers/nats.ts";
export { clickHouseServer, type ClickHouseOptions } from "./servers/clickhouse.ts";
export {
  createExecutableFinder,
  defaultSearchDirs,
  newestPostgresBinDir,
  type ExecutableFinder,
} from "./system/executables.ts";
export {
  aptInstallCommands,
  aptInstallHint,
  debianPackages,
  ensureSystemPackages,
  findMissingPackages,
  type EnsurePackagesOptions,
  type SystemPackage,
} from "./system/system-packages.ts";
