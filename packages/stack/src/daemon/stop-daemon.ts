import type { Logger } from "@kino/platform";
import { stackLayout } from "../layout.ts";
import type { DaemonIdentity } from "./daemon-spec.ts";
import { readPidFile, removePidFile } from "./pid-file.ts";
import { isProcessRunning, stopProcessGroup } from "./process-control.ts";

export interface StopDaemonOptions {
  dataDir: string;
  logger: Logger;
}

/**
 * Stops the process recorded in the daemon's pid file, and only that one.
 * Resolves to whether something was stopped; a missing or stale pid file is not an error.
 */
export async function stopDaemon(daemon: DaemonIdentity, options: StopDaemonOptions): Promise<boolean> {
  const pidFile = stackLayout(options.dataDir).pidFile(daemon.name);
  const pid = await readPidFile(pidFile);
  if (pid === undefined) return false;
  const running = isProcessRunning(pid, daemon.executable);
  if (running) {
    options.logger.info(`stopping ${daemon.name} (pid ${pid})`);
    await stopProcessGroup(pid, { signal: daemon.stopSignal ?? "SIGTERM", graceMs: daemon.stopGraceMs ?? 10_000 });
  }
  await removePidFile(pidFile);
  return running;
}
