import { relative } from "node:path";
import type { InfraServer, RunningDaemon } from "@kino/stack";
import type { AppProcess } from "./app-processes.ts";
import { formatTable } from "./table.ts";

/** How starting one application process ended. */
export type AppOutcome = { app: AppProcess; running: RunningDaemon } | { app: AppProcess; error: unknown };

/** NAME, URL, PID and LOG of everything `up` runs; paths relative to the repository. */
export function stackTable(repoRoot: string, servers: readonly InfraServer[], running: readonly RunningDaemon[], apps: readonly AppOutcome[]): string {
  const pidOf = new Map(running.map((daemon) => [daemon.name, daemon]));
  const rows: string[][] = [["NAME", "URL", "PID", "LOG"]];
  for (const server of servers) {
    const daemon = pidOf.get(server.name);
    rows.push([server.name, server.url, String(daemon?.pid ?? "-"), daemon ? relative(repoRoot, daemon.logFile) : "-"]);
  }
  for (const outcome of apps) {
    rows.push(
      "running" in outcome
        ? [outcome.app.name, outcome.app.url, String(outcome.running.pid), relative(repoRoot, outcome.running.logFile)]
        : [outcome.app.name, outcome.app.url, "failed", "-"],
    );
  }
  return formatTable(rows);
}

/** A ready-to-paste call that reads the key from its file, so the key itself is never printed. */
export function apiKeyHint(repoRoot: string, keyFile: string, gatewayUrl: string): string {
  const file = relative(repoRoot, keyFile);
  return (
    `The gateway accepts the API key in ${file}, e.g.\n` +
    `  curl -H "Authorization: Bearer $(cat ${file})" -H "Content-Type: application/json" -d '{}' ` +
    `${gatewayUrl}/kino.catalog.v1.CatalogService/ListVideos\n`
  );
}
