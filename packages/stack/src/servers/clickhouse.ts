import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { httpOk } from "../probes/http-ok.ts";
import { createExecutableFinder, requireExecutable, type ExecutableFinder } from "../system/executables.ts";
import { clickHouseServerConfig, clickHouseUsersConfig } from "./clickhouse-config.ts";
import type { InfraServer } from "./infra-server.ts";

export interface ClickHouseOptions {
  httpPort: number;
  tcpPort: number;
  httpPortVariable?: string;
  tcpPortVariable?: string;
  readyTimeoutMs?: number;
  find?: ExecutableFinder;
}

/** Leaves a file alone when it already says this: ClickHouse reloads config files whose time changed, also under a running server being taken over. */
async function writeIfChanged(path: string, content: string): Promise<void> {
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== content) await writeFile(path, content);
}

export function clickHouseServer(options: ClickHouseOptions): InfraServer {
  const url = `http://127.0.0.1:${options.httpPort}`;
  return {
    name: "clickhouse",
    executable: "clickhouse-server",
    url,
    ports: [
      { port: options.httpPort, variable: options.httpPortVariable },
      { port: options.tcpPort, variable: options.tcpPortVariable },
    ],
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    stopGraceMs: 15_000,
    probe: async () => {
      const body = await httpOk(`${url}/?query=SELECT%201`);
      if (body.trim() !== "1") throw new Error(`clickhouse answered ${JSON.stringify(body.trim())} to SELECT 1`);
    },
    async launch({ dataDir }) {
      const dir = resolve(dataDir, "clickhouse");
      await mkdir(dir, { recursive: true });
      const configFile = join(dir, "config.xml");
      await writeIfChanged(configFile, clickHouseServerConfig({ httpPort: options.httpPort, tcpPort: options.tcpPort, dir }));
      await writeIfChanged(join(dir, "users.xml"), clickHouseUsersConfig());
      const command = requireExecutable(options.find ?? createExecutableFinder(), "clickhouse-server", "clickhouse-server");
      return { command, args: [`--config-file=${configFile}`] };
    },
  };
}
