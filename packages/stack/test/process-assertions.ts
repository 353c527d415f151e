import { readdirSync, readFileSync } from "node:fs";

/** Whether a live (non-zombie) process has this pid, read straight from /proc. */
export function pidExists(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line (arguments joined by spaces) contains `text`. */
export function pidsWithCommandLine(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text) && pidExists(pid)) pids.push(pid);
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}
