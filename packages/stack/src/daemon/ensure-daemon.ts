import { KinoError, type Logger } from "@kino/platform";
import { stackLayout, type StackLayout } from "../layout.ts";
import { isPortFree } from "../ports.ts";
import type { DaemonSpec, PortClaim } from "./daemon-spec.ts";
import { tailLog } from "./log-tail.ts";
import { readPidFile, removePidFile } from "./pid-file.ts";
import { isProcessRunning } from "./process-control.ts";
import { stopDaemon } from "./stop-daemon.ts";
import { isSupervisorRunning, startSupervisor, supervisorPlan } from "./supervisor-process.ts";
import type { DetachedProcess } from "./spawn-detached.ts";
import { readSupervisorState, removeSupervisorState } from "./supervisor-state.ts";
import { waitUntilReady, type WaitReadyResult } from "./wait-ready.ts";

export interface RunningDaemon {
  name: string;
  pid: number;
  /** The process that restarts it when it ends. */
  supervisorPid: number;
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

/** The process the supervisor runs now, by its state file. */
function supervisedPid(layout: StackLayout, name: string): number {
  const pid = readSupervisorState(layout.stateFile(name))?.pid;
  if (pid === undefined) throw new KinoError("internal", `${name} answered, but its supervisor records no process`);
  return pid;
}

/** Waits until this supervisor records a process, so the caller may count on restarts from then on. */
async function supervisionStarted(layout: StackLayout, name: string, supervisor: DetachedProcess): Promise<void> {
  const result = await waitUntilReady({
    probe: async () => {
      const state = readSupervisorState(layout.stateFile(name));
      if (state?.supervisorPid !== supervisor.pid || state.pid === undefined) throw new Error("no process recorded yet");
    },
    timeoutMs: 30_000,
    running: supervisor.running,
  });
  if (!result.ready) throw await notReadyError(`the supervisor of ${name} did not start`, result, layout.logFile(name));
}

/** A daemon whose supervisor runs: waits until it answers; undefined when the supervisor went away meanwhile. */
async function reuseSupervised(spec: DaemonSpec, layout: StackLayout, supervisorPid: number): Promise<RunningDaemon | undefined> {
  const state = readSupervisorState(layout.stateFile(spec.name));
  // Waiting out a backoff after crashes: start it now rather than make `up` wait (or time out).
  if (state?.nextStartAt !== undefined) process.kill(supervisorPid, "SIGUSR1");
  const result = await waitUntilReady({ probe: spec.probe, timeoutMs: spec.readyTimeoutMs, running: () => isSupervisorRunning(supervisorPid, spec.name) });
  const logFile = layout.logFile(spec.name);
  if (result.ready) {
    await spec.afterReady?.();
    return { name: spec.name, pid: supervisedPid(layout, spec.name), supervisorPid, reused: true, logFile };
  }
  if (result.reason === "exited") return undefined;
  throw await notReadyError(`${spec.name} is supervised (pid ${supervisorPid}) but did not answer within ${spec.readyTimeoutMs} ms`, result, logFile);
}

/**
 * Makes sure the daemon runs under a supervisor and answers: keeps one that
 * does; puts one found running without a supervisor (started before
 * supervision, or whose supervisor was killed) under one, without a restart;
 * otherwise starts a supervisor, which starts the daemon, and waits for its probe.
 */
export async function ensureDaemon(spec: DaemonSpec, options: EnsureOptions): Promise<RunningDaemon> {
  const layout = stackLayout(options.dataDir);
  const pidFile = layout.pidFile(spec.name);
  const logFile = layout.logFile(spec.name);

  const supervisorPid = await readPidFile(layout.supervisorPidFile(spec.name));
  if (supervisorPid !== undefined && isSupervisorRunning(supervisorPid, spec.name)) {
    const reused = await reuseSupervised(spec, layout, supervisorPid);
    if (reused) {
      options.logger.debug(`${spec.name} already running (pid ${reused.pid}, supervisor ${supervisorPid})`);
      return reused;
    }
  }

  const recorded = await readPidFile(pidFile);
  if (recorded !== undefined && isProcessRunning(recorded, spec.executable)) {
    const result = await waitUntilReady({
      probe: spec.probe,
      timeoutMs: spec.readyTimeoutMs,
      running: () => isProcessRunning(recorded, spec.executable),
    });
    if (result.ready) {
      await spec.afterReady?.();
      options.logger.info(`${spec.name} (pid ${recorded}) runs without a supervisor: supervising it`);
      const plan = await spec.launch({ dataDir: options.dataDir, logger: options.logger });
      // What a killed supervisor recorded last is not what this one will.
      removeSupervisorState(layout.stateFile(spec.name));
      const supervisor = await startSupervisor(supervisorPlan(spec, plan, layout, recorded));
      await supervisionStarted(layout, spec.name, supervisor);
      return { name: spec.name, pid: recorded, supervisorPid: supervisor.pid, reused: true, logFile };
    }
    if (result.reason === "timeout") {
      const why = `${spec.name} runs as pid ${recorded} but did not answer within ${spec.readyTimeoutMs} ms`;
      throw await notReadyError(why, result, logFile);
    }
  }
  await removePidFile(pidFile);
  await removePidFile(layout.supervisorPidFile(spec.name));
  removeSupervisorState(layout.stateFile(spec.name));

  for (const claim of spec.ports) {
    if (!(await isPortFree(claim.port))) throw portTakenError(spec.name, claim);
  }

  const plan = await spec.launch({ dataDir: options.dataDir, logger: options.logger });
  options.logger.info(`starting ${spec.name}`);
  const supervisor = await startSupervisor(supervisorPlan(spec, plan, layout));
  // The first run must answer: one that ends first is a broken setup, not a crash to restart.
  const firstExit = () => readSupervisorState(layout.stateFile(spec.name))?.lastExit;
  const result = await waitUntilReady({
    probe: spec.probe,
    timeoutMs: spec.readyTimeoutMs,
    running: () => supervisor.running() && firstExit() === undefined,
  });
  if (!result.ready) {
    const ended = firstExit()?.description ?? `could not be supervised (its supervisor ${supervisor.exitDescription() ?? "exited"})`;
    const why = result.reason === "exited" ? `${spec.name} ${ended} before it was ready` : `${spec.name} did not answer within ${spec.readyTimeoutMs} ms`;
    const error = await notReadyError(why, result, logFile);
    await stopDaemon(spec, options);
    throw error;
  }
  await supervisionStarted(layout, spec.name, supervisor);
  await spec.afterReady?.();
  return { name: spec.name, pid: supervisedPid(layout, spec.name), supervisorPid: supervisor.pid, reused: false, logFile };
}
