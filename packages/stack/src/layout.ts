import { join } from "node:path";

/** Where a stack keeps its bookkeeping under its data dir: one pid file and one log per process. */
export interface StackLayout {
  dataDir: string;
  runDir: string;
  logDir: string;
  pidFile(name: string): string;
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
    logFile: (name) => join(logDir, `${name}.log`),
  };
}
