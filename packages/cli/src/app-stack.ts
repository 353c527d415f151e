import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DaemonSpec } from "@kino/stack";
import { appDaemon } from "./app-daemon.ts";
import { appProcesses, type AppEnvContext, type AppProcess } from "./app-processes.ts";

export interface PlannedApp {
  app: AppProcess;
  /** False while its entry file is not written yet: `up` skips it. */
  present: boolean;
  daemon: DaemonSpec;
}

/** Every application process, paired with how to run it. */
export function planApps(repoRoot: string, context: AppEnvContext, baseEnv: NodeJS.ProcessEnv): PlannedApp[] {
  return appProcesses.map((app) => ({
    app,
    present: existsSync(join(repoRoot, app.entry)),
    daemon: appDaemon(app, { repoRoot, context, baseEnv }),
  }));
}
