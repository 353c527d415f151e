import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** True while `pid` exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // The state follows the parenthesised command name: "pid (comm) S ...".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Whether `pid` still runs `executable`. A pid file can outlive its process
 * (a reboot, a crash); this keeps us from reusing or signalling whatever
 * process got the same pid since.
 */
export function isProcessRunning(pid: number, executable: string): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(executable);
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Daemons lead their own process group; signalling it reaches their workers too.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

export interface StopOptions {
  signal: NodeJS.Signals;
  graceMs: number;
}

/** Sends `signal` to the process group, then SIGKILL after the grace period; resolves once it is gone. */
export async function stopProcessGroup(pid: number, options: StopOptions): Promise<void> {
  signalGroup(pid, options.signal);
  if (await waitForExit(pid, options.graceMs)) return;
  signalGroup(pid, "SIGKILL");
  if (!(await waitForExit(pid, 5_000))) throw new Error(`process ${pid} survived SIGKILL`);
}
