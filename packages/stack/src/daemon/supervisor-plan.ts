import type { RestartPolicy } from "./restart-policy.ts";
import type { LaunchPlan } from "./spawn-detached.ts";

/** Everything a supervisor process is told: what to run, how to stop it, where to record it. */
export interface SupervisorPlan {
  name: string;
  /** With its environment resolved: the supervisor's own is not the process's. */
  launch: LaunchPlan;
  /** Matched against the command line of a process being adopted. */
  executable: string;
  stopSignal: NodeJS.Signals;
  stopGraceMs: number;
  restart: RestartPolicy;
  pidFile: string;
  /** Where its own pid is recorded; it stops restarting once that names anything else. */
  supervisorPidFile: string;
  stateFile: string;
  logFile: string;
  /** A process already running (started before supervision existed, or left by a killed supervisor): watched until it ends, then restarted. */
  adoptPid?: number;
}

/**
 * The plan travels in the supervisor's environment, not its arguments: it
 * holds the process's environment (secrets included), and arguments are
 * readable by every user in /proc and ps.
 */
export const supervisorPlanVariable = "KINO_SUPERVISOR_PLAN";

export function decodeSupervisorPlan(env: NodeJS.ProcessEnv): SupervisorPlan {
  const raw = env[supervisorPlanVariable];
  if (!raw) throw new Error(`${supervisorPlanVariable} is not set: the supervisor is started by ensureDaemon`);
  return JSON.parse(raw) as SupervisorPlan;
}
