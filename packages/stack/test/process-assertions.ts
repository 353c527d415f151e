import { readFileSync } from "node:fs";

/** Whether a live (non-zombie) process has this pid, read straight from /proc. */
export function pidExists(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}
