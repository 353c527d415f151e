import type { Logger } from "@kino/platform";
import { stackLayout } from "../layout.ts";
import { stopSettings, type DaemonIdentity } from "./daemon-spec.ts";
import { readPidFile, removePidFile } from "./pid-file.ts";
import { isProcessRunning, stopProcessGroup } from "./process-control.ts";
import { isSupervisorRunning } from "./supervisor-process.ts";
import { removeSupervisorState } from "./supervisor-state.ts";

export interface StopDaemonOptions {
  dataDir: string;
  logger: Logger;
}

/**
 * Stops the daemon's supervisor, which stops the daemon and restarts nothing,
 * then whatever process the pid file still names (one whose supervisor was
 * killed); only processes recorded as ours. Resolves to whether something was
 * stopped; missing or stale pid files are not an error.
 */
export async function stopDaemon(daemon: DaemonIdentity, options: StopDaemonOptions): Promise<boolean> {
  const layout = stackLayout(options.dataDir);
  const pidFile = layout.pidFile(daemon.name);
  const supervisorPidFile = layout.supervisorPidFile(daemon.name);
  const stop = stopSettings(daemon);
  const supervisor = await readPidFile(supervisorPidFile);
  const supervised = supervisor !== undefined && isSupervisorRunning(supervisor, daemon.name);
  const recorded = await readPidFile(pidFile);
  const running = recorded !== undefined && isProcessRunning(recorded, daemon.executable);

  if (supervised || running) options.logger.info(`stopping ${daemon.name}${running ? ` (pid ${recorded})` : ""}`);
  if (supervised) {
    // Its own stop takes the daemon's grace, then up to 5 s after SIGKILL; past that it hangs.
    await stopProcessGroup(supervisor, { signal: "SIGTERM", graceMs: stop.graceMs + 10_000 });
  }
  // Read again: a supervisor killed above may have started another process since the first read.
  const left = await readPidFile(pidFile);
  if (left !== undefined && isProcessRunning(left, daemon.executable)) await stopProcessGroup(left, stop);

  await removePidFile(pidFile);
  await removePidFile(supervisorPidFile);
  removeSupervisorState(layout.stateFile(daemon.name));
  return supervised || running;
}
