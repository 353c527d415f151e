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

export interface DetachedProcess {
  pid: number;
  /** False once the process has exited. */
  running(): boolean;
  /** How it ended, for error messages; undefined while it runs. */
  exitDescription(): string | undefined;
}

/**
 * Starts `plan` in its own process group with stdout and stderr appended to
 * `logFile`, so it outlives the CLI and a Ctrl-C in the terminal never reaches it.
 */
export async function spawnDetached(plan: LaunchPlan, logFile: string): Promise<DetachedProcess> {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "a");
  try {
    writeSync(fd, `\n--- ${new Date().toISOString()} starting ${plan.command} ${plan.args.join(" ")}\n`);
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: plan.env ?? process.env,
      detached: true,
      stdio: ["ignore", fd, fd],
      uid: plan.runAs?.uid,
      gid: plan.runAs?.gid,
    });
    let exit: string | undefined;
    child.on("exit", (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    child.unref();
    return {
      pid: child.pid as number,
      running: () => exit === undefined,
      exitDescription: () => exit,
    };
  } finally {
    closeSync(fd);
  }
}
