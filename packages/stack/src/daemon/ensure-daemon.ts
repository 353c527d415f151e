import { KinoError, type Logger } from "@kino/platform";
import { stackLayout } from "../layout.ts";
import { isPortFree } from "../ports.ts";
import type { DaemonSpec, PortClaim } from "./daemon-spec.ts";
import { tailLog } from "./log-tail.ts";
import { readPidFile, removePidFile, writePidFile } from "./pid-file.ts";
import { isProcessRunning, stopProcessGroup } from "./process-control.ts";
import { spawnDetached } from "./spawn-detached.ts";
import { waitUntilReady, type WaitReadyResult } from "./wait-ready.ts";

export interface RunningDaemon {
  name: string;
  pid: number;
  /** True when a process started earlier was found answering and kept. */
  reused: boolean;
  logFile: string;
}

export interface EnsureOptions {
  dataDir: string;
  logger: Logger;
}

function portTakenError(name: string, claim: PortClaim): KinoError {
  const fix = claim.variable ? `set ${claim.variable} to a free port, or stop that process` : "stop that process";
  return new KinoError("failed_precondition", `${name} needs port ${claim.port}, which another process is using: ${fix}`);
}

async function notReadyError(why: string, result: WaitReadyResult, logFile: string): Promise<KinoError> {
  const lastError = result.ready === false && result.lastError instanceof Error ? ` (last probe: ${result.lastError.message})` : "";
  const log = await tailLog(logFile);
  return new KinoError("unavailable", `${why}${lastError}\n--- last lines of ${logFile}:\n${log}`, {
    cause: result.ready === false ? result.lastError : undefined,
  });
}

/**
 * Makes sure the daemon runs and answers: keeps one recorded in its pid file
 * when it is alive and healthy, otherwise starts it and waits for its probe.
 */
export async function ensureDaemon(spec: DaemonSpec, options: EnsureOptions): Promise<RunningDaemon> {
  const layout = stackLayout(options.dataDir);
  const pidFile = layout.pidFile(spec.name);
  const logFile = layout.logFile(spec.name);
  const recorded = await readPidFile(pidFile);

  if (recorded !== undefined && isProcessRunning(recorded, spec.executable)) {
    const result = await waitUntilReady({
      probe: spec.probe,
      timeoutMs: spec.readyTimeoutMs,
      running: () => isProcessRunning(recorded, spec.executable),
    });
    if (result.ready) {
      await spec.afterReady?.();
      options.logger.debug(`${spec.name} already running (pid ${recorded})`);
      return { name: spec.name, pid: recorded, reused: true, logFile };
    }
    if (result.reason === "timeout") {
      const why = `${spec.name} runs as pid ${recorded} but did not answer within ${spec.readyTimeoutMs} ms`;
      throw await notReadyError(why, result, logFile);
    }
  }
  await removePidFile(pidFile);

  for (const claim of spec.ports) {
    if (!(await isPortFree(claim.port))) throw portTakenError(spec.name, claim);
  }

  const plan = await spec.launch({ dataDir: options.dataDir, logger: options.logger });
  options.logger.info(`starting ${spec.name}`);
  const child = await spawnDetached(plan, logFile);
  await writePidFile(pidFile, child.pid);
  const result = await waitUntilReady({ probe: spec.probe, timeoutMs: spec.readyTimeoutMs, running: child.running });
  if (!result.ready) {
    const why =
      result.reason === "exited"
        ? `${spec.name} ${child.exitDescription() ?? "exited"} before it was ready`
        : `${spec.name} did not answer within ${spec.readyTimeoutMs} ms`;
    const error = await notReadyError(why, result, logFile);
    await stopProcessGroup(child.pid, { signal: "SIGKILL", graceMs: 0 });
    await removePidFile(pidFile);
    throw error;
  }
  await spec.afterReady?.();
  return { name: spec.name, pid: child.pid, reused: false, logFile };
}
