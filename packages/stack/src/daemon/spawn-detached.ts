import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface RunAs {
  uid: number;
  gid: number;
}

export interface LaunchPlan {
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Drop to this user (postgres refuses to run as root). */
  runAs?: RunAs;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export interface DetachedProcess {
  pid: number;
  /** False once the process has exited. */
  running(): boolean;
  /** How it ended, for error messages; undefined while it runs. */
  exitDescription(): string | undefined;
  /** Resolves once it has exited (and been reaped). */
  exited: Promise<ProcessExit>;
  /** Lets this process exit while the detached one keeps running. */
  unref(): void;
}

/**
 * Starts `plan` in its own process group with stdout and stderr appended to
 * `logFile`, so it outlives its parent and a Ctrl-C in the terminal never reaches it.
 * `banner` is the line written to the log first (default: the command line).
 */
export async function spawnDetached(plan: LaunchPlan, logFile: string, banner?: string): Promise<DetachedProcess> {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "a");
  try {
    writeSync(fd, `\n--- ${new Date().toISOString()} ${banner ?? `starting ${plan.command} ${plan.args.join(" ")}`}\n`);
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: plan.env ?? process.env,
      detached: true,
      stdio: ["ignore", fd, fd],
      uid: plan.runAs?.uid,
      gid: plan.runAs?.gid,
    });
    let exit: ProcessExit | undefined;
    const exited = new Promise<ProcessExit>((resolve) => {
      child.on("exit", (code, signal) => {
        exit = { code, signal };
        resolve(exit);
      });
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return {
      pid: child.pid as number,
      running: () => exit === undefined,
      exitDescription: () => (exit ? describeExit(exit) : undefined),
      exited,
      unref: () => child.unref(),
    };
  } finally {
    closeSync(fd);
  }
}
