import { httpOk, type DaemonSpec } from "@kino/stack";
import type { AppEnvContext, AppProcess } from "./app-processes.ts";

export interface AppDaemonOptions {
  repoRoot: string;
  context: AppEnvContext;
  /** The environment the process inherits (PATH and the like) before its own variables. */
  baseEnv: NodeJS.ProcessEnv;
}

/** The full environment of an application process. */
export function appEnvironment(app: AppProcess, options: AppDaemonOptions): NodeJS.ProcessEnv {
  return { ...options.baseEnv, KINO_LOG_LEVEL: "info", ...app.env(options.context) };
}

export function appDaemon(app: AppProcess, options: AppDaemonOptions): DaemonSpec {
  return {
    name: app.name,
    // The entry path identifies the process: every app runs the same node binary.
    executable: app.entry,
    ports: [{ port: Number(new URL(app.healthUrl).port) }],
    // The first start compiles TypeScript and may run migrations.
    readyTimeoutMs: 60_000,
    stopGraceMs: 15_000,
    probe: async () => {
      await httpOk(app.healthUrl);
    },
    launch: async () => ({
      command: process.execPath,
      args: ["--import", "tsx", app.entry],
      cwd: options.repoRoot,
      env: appEnvironment(app, options),
    }),
  };
}
