import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chown, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { KinoError, type Logger } from "@kino/platform";
import type { DaemonSpec } from "../daemon/daemon-spec.ts";
import type { RunAs } from "../daemon/spawn-detached.ts";
import { postgresQuery } from "../probes/postgres-query.ts";
import { createExecutableFinder, requireExecutable, type ExecutableFinder } from "../system/executables.ts";
import { canUserReach, postgresRunAs } from "./postgres-user.ts";
import type { InfraServer } from "./infra-server.ts";

export interface PostgresOptions {
  port: number;
  /** Names the variable that sets the port, for the "port in use" message. */
  portVariable?: string;
  /** Skip fsync and friends: a test cluster is thrown away anyway, and tests get much faster. */
  durable?: boolean;
  readyTimeoutMs?: number;
  find?: ExecutableFinder;
}

const superuser = "kino";
const database = "kino";

/**
 * The cluster lives in `<dataDir>/postgres` unless the postgres user cannot
 * reach it (a checkout under /root); then in a directory of its own under /var/tmp.
 */
async function clusterDir(dataDir: string, runAs: RunAs | undefined, logger: Logger): Promise<string> {
  const preferred = join(resolve(dataDir), "postgres");
  await mkdir(dataDir, { recursive: true });
  if (!runAs || canUserReach(runAs, resolve(dataDir))) return preferred;
  const hash = createHash("sha256").update(preferred).digest("hex").slice(0, 12);
  const fallback = join("/var/tmp", `kino-postgres-${hash}`);
  logger.warn(`the postgres user cannot reach ${dataDir}; keeping the cluster in ${fallback}`);
  return fallback;
}

function initCluster(initdb: string, dir: string, runAs: RunAs | undefined, durable: boolean): void {
  // --no-locale: a fresh machine may have no locales generated.
  const args = ["-D", dir, "-U", superuser, "--auth=trust", "--no-locale", "-E", "UTF8", ...(durable ? [] : ["--no-sync"])];
  const result = spawnSync(initdb, args, {
    encoding: "utf8",
    uid: runAs?.uid,
    gid: runAs?.gid,
  });
  if (result.status !== 0) {
    throw new KinoError("internal", `initdb failed in ${dir}:\n${result.stderr || result.stdout || result.error?.message}`);
  }
}

export function postgresServer(options: PostgresOptions): InfraServer {
  const url = `postgres://${superuser}@127.0.0.1:${options.port}/${database}`;
  const maintenanceUrl = `postgres://${superuser}@127.0.0.1:${options.port}/postgres`;
  const nonDurable = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  const spec: DaemonSpec = {
    name: "postgres",
    executable: "postgres",
    stopSignal: "SIGINT",
    ports: [{ port: options.port, variable: options.portVariable }],
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    probe: async () => {
      await postgresQuery(maintenanceUrl, "SELECT 1");
    },
    async launch({ dataDir, logger }) {
      const find = options.find ?? createExecutableFinder();
      const postgres = requireExecutable(find, "postgres", "postgresql");
      const initdb = requireExecutable(find, "initdb", "postgresql");
      const runAs = postgresRunAs(logger);
      const dir = await clusterDir(dataDir, runAs, logger);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (runAs) await chown(dir, runAs.uid, runAs.gid);
      if (!existsSync(join(dir, "PG_VERSION"))) {
        logger.info(`creating a PostgreSQL cluster in ${dir}`);
        initCluster(initdb, dir, runAs, options.durable !== false);
      }
      return {
        command: postgres,
        args: [
          ["-D", dir, "-p", String(options.port), "-k", dir, "-c", "listen_addresses=127.0.0.1"],
          options.durable === false ? nonDurable : [],
        ].flat(),
        runAs,
      };
    },
    async afterReady() {
      const rows = await postgresQuery(maintenanceUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (rows.length === 0) await postgresQuery(maintenanceUrl, `CREATE DATABASE ${database}`);
    },
  };
  return { ...spec, url };
}
