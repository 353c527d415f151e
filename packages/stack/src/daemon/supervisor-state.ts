import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** How one run of the supervised process ended. */
export interface RecordedExit {
  /** e.g. "killed by SIGKILL", "exited with code 1". */
  description: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ISO time. */
  at: string;
}

/** What a supervisor says about its process, in `<name>.state.json`. */
export interface SupervisorState {
  supervisorPid: number;
  /** The process running now; absent while the supervisor waits to restart it. */
  pid?: number;
  /** When the running process started (ISO time). */
  startedAt?: string;
  /** How many times it was started again after it ended. */
  restarts: number;
  lastExit?: RecordedExit;
  /** While waiting: when the next start is due (ISO time). */
  nextStartAt?: string;
}

/** The state file's content, or undefined when there is none (or it is garbage). Sync: called from readiness polls. */
export function readSupervisorState(path: string): SupervisorState | undefined {
  try {
    const state = JSON.parse(readFileSync(path, "utf8")) as SupervisorState;
    return typeof state.supervisorPid === "number" && typeof state.restarts === "number" ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Written aside and renamed, so a reader never sees half a file; sync, so writes land in the order they were made. */
export function writeSupervisorState(path: string, state: SupervisorState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, path);
}

export function removeSupervisorState(path: string): void {
  rmSync(path, { force: true });
}
