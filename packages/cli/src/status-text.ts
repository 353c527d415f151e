import type { DaemonStatus } from "@kino/stack";

/** A moment as the local time of day, with the date when it is not today. */
export function formatMoment(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return at.toDateString() === now.toDateString() ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** STATE: health, and whether anything restarts the process when it ends. */
export function describeState(status: DaemonStatus, now = new Date()): string {
  const unsupervised = status.supervisorPid === undefined ? ", unsupervised" : "";
  if (status.running) return `${status.healthy ? "healthy" : "unhealthy"}${unsupervised}`;
  if (status.supervisorPid === undefined) return "stopped";
  return status.nextStartAt ? `restarting at ${formatMoment(status.nextStartAt, now)}` : "starting";
}

/** LAST EXIT: how and when the process last ended, as its supervisor saw it. */
export function describeLastExit(status: DaemonStatus, now = new Date()): string {
  return status.lastExit ? `${status.lastExit.description} at ${formatMoment(status.lastExit.at, now)}` : "-";
}
