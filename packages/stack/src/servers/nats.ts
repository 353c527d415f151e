import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { natsJetStreamReady } from "../probes/nats-jetstream.ts";
import { createExecutableFinder, requireExecutable, type ExecutableFinder } from "../system/executables.ts";
import type { InfraServer } from "./infra-server.ts";

export interface NatsOptions {
  port: number;
  portVariable?: string;
  readyTimeoutMs?: number;
  find?: ExecutableFinder;
}

/** NATS with JetStream, its streams stored under the data dir. */
export function natsServer(options: NatsOptions): InfraServer {
  return {
    name: "nats",
    executable: "nats-server",
    url: `nats://127.0.0.1:${options.port}`,
    ports: [{ port: options.port, variable: options.portVariable }],
    readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
    probe: () => natsJetStreamReady(options.port),
    async launch({ dataDir }) {
      const dir = join(dataDir, "nats");
      await mkdir(dir, { recursive: true });
      const command = requireExecutable(options.find ?? createExecutableFinder(), "nats-server", "nats-server");
      return { command, args: ["-js", "-a", "127.0.0.1", "-p", String(options.port), "-sd", dir] };
    },
  };
}
