import { stackLayout } from "../layout.ts";
import type { DaemonIdentity } from "./daemon-spec.ts";
import { readPidFile } from "./pid-file.ts";
import { isProcessRunning } from "./process-control.ts";
import { isSupervisorRunning } from "./supervisor-process.ts";
import { readSupervisorState, type RecordedExit } from "./supervisor-state.ts";

export interface DaemonStatus {
  name: string;
  /** The recorded pid while that process runs. */
  pid?: number;
  running: boolean;
  healthy: boolean;
  logFile: string;
  /** The supervisor's pid while it runs; absent when nothing would restart the daemon. */
  supervisorPid?: number;
  /** How many times its supervisor started it again. */
  restarts: number;
  lastExit?: RecordedExit;
  /** While its supervisor waits to start it again (ISO time). */
  nextStartAt?: string;
}

/** What the pid files, the supervisor's state and one probe say about a daemon right now. */
export async function daemonStatus(daemon: DaemonIdentity & { probe(): Promise<void> }, dataDir: string): Promise<DaemonStatus> {
  const layout = stackLayout(dataDir);
  const logFile = layout.logFile(daemon.name);
  const supervisorPid = await readPidFile(layout.supervisorPidFile(daemon.name));
  const supervised = supervisorPid !== undefined && isSupervisorRunning(supervisorPid, daemon.name);
  const state = supervised ? readSupervisorState(layout.stateFile(daemon.name)) : undefined;
  const supervision = {
    supervisorPid: supervised ? supervisorPid : undefined,
    restarts: state?.restarts ?? 0,
    lastExit: state?.lastExit,
    nextStartAt: state?.nextStartAt,
  };
  const pid = await readPidFile(layout.pidFile(daemon.name));
  if (pid === undefined || !isProcessRunning(pid, daemon.executable)) {
    return { name: daemon.name, running: false, healthy: false, logFile, ...supervision };
  }
  const healthy = await daemon.probe().then(
    () => true,
    () => false,
  );
  return { name: daemon.name, pid, running: true, healthy, logFile, ...supervision };
}
