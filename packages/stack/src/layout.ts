import { join } from "node:path";

/**
 * Where a stack keeps its bookkeeping under its data dir: per process, the
 * pid file of the process itself, the pid file of its supervisor, the
 * supervisor's state (restarts, last exit) and one log for both.
 */
export interface StackLayout {
  dataDir: string;
  runDir: string;
  logDir: string;
  pidFile(name: string): string;
  supervisorPidFile(name: string): string;
  stateFile(name: string): string;
  logFile(name: string): string;
}

export function stackLayout(dataDir: string): StackLayout {
  const runDir = join(dataDir, "run");
  const logDir = join(dataDir, "logs");
  return {
    dataDir,
    runDir,
    logDir,
    pidFile: (name) => join(runDir, `${name}.pid`),
    supervisorPidFile: (name) => join(runDir, `${name}.supervisor.pid`),
    stateFile: (name) => join(runDir, `${name}.state.json`),
    logFile: (name) => join(logDir, `${name}.log`),
  };
}
