import { fileURLToPath } from "node:url";
import type { StackLayout } from "../layout.ts";
import { stopSettings, type DaemonSpec } from "./daemon-spec.ts";
import { writePidFile } from "./pid-file.ts";
import { isProcessRunning } from "./process-control.ts";
import { defaultRestartPolicy } from "./restart-policy.ts";
import { spawnDetached, type DetachedProcess, type LaunchPlan } from "./spawn-detached.ts";
import { supervisorPlanVariable, type SupervisorPlan } from "./supervisor-plan.ts";

const supervisorEntry = fileURLToPath(new URL("./supervisor-main.ts", import.meta.url));

/** What the supervisor of `spec` is told; `adoptPid` names a process of it already running. */
export function supervisorPlan(spec: DaemonSpec, launch: LaunchPlan, layout: StackLayout, adoptPid?: number): SupervisorPlan {
  const stop = stopSettings(spec);
  return {
    name: spec.name,
    launch: { ...launch, env: launch.env ?? process.env },
    executable: spec.executable,
    stopSignal: stop.signal,
    stopGraceMs: stop.graceMs,
    restart: spec.restart ?? defaultRestartPolicy,
    pidFile: layout.pidFile(spec.name),
    supervisorPidFile: layout.supervisorPidFile(spec.name),
    stateFile: layout.stateFile(spec.name),
    logFile: layout.logFile(spec.name),
    adoptPid,
  };
}

/** Starts a detached supervisor (which starts the process) and records its pid. */
export async function startSupervisor(plan: SupervisorPlan): Promise<DetachedProcess> {
  const supervisor = await spawnDetached(
    {
      command: process.execPath,
      // tsx resolved from here, not from the working directory; the name is for people reading ps, and for isSupervisorRunning.
      args: ["--import", import.meta.resolve("tsx"), supervisorEntry, plan.name],
      env: { ...process.env, [supervisorPlanVariable]: JSON.stringify(plan) },
    },
    plan.logFile,
    `starting the supervisor of ${plan.name}`,
  );
  supervisor.unref();
  await writePidFile(plan.supervisorPidFile, supervisor.pid);
  return supervisor;
}

/** Whether `pid` is the supervisor of the daemon `name`: neither a recycled pid nor another daemon's supervisor. */
export function isSupervisorRunning(pid: number, name: string): boolean {
  return isProcessRunning(pid, `${supervisorEntry}\0${name}\0`);
}
