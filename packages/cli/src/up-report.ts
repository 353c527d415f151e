import { relative } from "node:path";
import type { DevAdmin } from "./dev-admin.ts";
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
export function accountsHint(repoRoot: string, admin: DevAdmin, gatewayUrl: string): string {
  const keyFile = relative(repoRoot, admin.apiKeyFile);
  return (
    `Signed in as the local admin ${admin.email} (password in ${relative(repoRoot, admin.passwordFile)}); its API key is in ${keyFile}, e.g.\n` +
    `  curl -H "Authorization: Bearer $(cat ${keyFile})" -H "Content-Type: application/json" -d '{}' ` +
    `${gatewayUrl}/kino.catalog.v1.CatalogService/ListVideos\n` +
    `Mail the stack sends (sign-up and sign-in codes) lands in the local inbox: ./kino mail\n` +
    `The web app (sign in as the admin, or sign up): ${gatewayUrl}/\n`
  );
}
