import { stackLayout } from "../layout.ts";
import type { DaemonIdentity } from "./daemon-spec.ts";
import { readPidFile } from "./pid-file.ts";
import { isProcessRunning } from "./process-control.ts";

export interface DaemonStatus {
  name: string;
  /** The recorded pid while that process runs. */
  pid?: number;
  running: boolean;
  healthy: boolean;
  logFile: string;
}

/** What the pid file and one probe say about a daemon right now. */
export async function daemonStatus(
  daemon: DaemonIdentity & { probe(): Promise<void> },
  dataDir: string,
): Promise<DaemonStatus> {
  const layout = stackLayout(dataDir);
  const logFile = layout.logFile(daemon.name);
  const pid = await readPidFile(layout.pidFile(daemon.name));
  if (pid === undefined || !isProcessRunning(pid, daemon.executable)) {
    return { name: daemon.name, running: false, healthy: false, logFile };
  }
  const healthy = await daemon.probe().then(
    () => true,
    () => false,
  );
  return { name: daemon.name, pid, running: true, healthy, logFile };
}
