import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { redisPing } from "../probes/redis-ping.ts";
import { createExecutableFinder, requireExecutable, type ExecutableFinder } from "../system/executables.ts";
import type { InfraServer } from "./infra-server.ts";

export interface RedisOptions {
  port: number;
  portVariable?: string;
  readyTimeoutMs?: number;
  find?: ExecutableFinder;
}

/** A cache-only Redis: no RDB snapshots, no AOF. */
export function redisServer(options: RedisOptions): InfraServer {
  return {
    name: "redis",
    executable: "redis-server",
    url: `redis://127.0.0.1:${options.port}`,
    ports: [{ port: options.port, variable: options.portVariable }],
    readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
    probe: () => redisPing(options.port),
    async launch({ dataDir }) {
      const dir = join(dataDir, "redis");
      await mkdir(dir, { recursive: true });
      const command = requireExecutable(options.find ?? createExecutableFinder(), "redis-server", "redis-server");
      return {
        command,
        args: ["--port", String(options.port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
      };
    },
  };
}
