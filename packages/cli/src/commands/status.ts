import { redactUrl } from "@kino/platform";
import { daemonStatus } from "@kino/stack";
import { planApps } from "../app-stack.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { infraNames, infraUrls, managedServers } from "../infra.ts";
import { devProfile, loadProfileConfig } from "../profiles.ts";
import { describeLastExit, describeState } from "../status-text.ts";
import { formatTable } from "../table.ts";

async function runStatus(args: string[], { repoRoot, env }: CommandContext): Promise<number> {
  parseCommandArgs(args, {});
  const config = loadProfileConfig(devProfile, repoRoot, env);
  const urls = infraUrls(config);
  // Status reads pid files and probes; it never needs the real key.
  const apps = planApps(repoRoot, { infra: urls, dataDir: config.dataDir }, env);

  const rows: string[][] = [["NAME", "STATE", "PID", "RESTARTS", "LAST EXIT", "URL"]];
  let healthy = true;
  for (const name of infraNames.filter((n) => config.external[n] !== undefined)) {
    rows.push([name, `external (${config.profile.externalUrlVariables[name]})`, "-", "-", "-", redactUrl(urls[name])]);
  }
  for (const server of managedServers(config)) {
    const status = await daemonStatus(server, config.dataDir);
    healthy &&= status.healthy;
    rows.push([server.name, describeState(status), String(status.pid ?? "-"), String(status.restarts), describeLastExit(status), server.url]);
  }
  for (const { app, present, daemon } of apps) {
    if (!present) {
      rows.push([app.name, `not written yet (${app.entry})`, "-", "-", "-", app.url]);
      continue;
    }
    const status = await daemonStatus(daemon, config.dataDir);
    healthy &&= status.healthy;
    rows.push([app.name, describeState(status), String(status.pid ?? "-"), String(status.restarts), describeLastExit(status), app.url]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  return healthy ? 0 : 1;
}

export const statusCommand: Command = {
  name: "status",
  summary: "show whether each server and process of `kino up` runs and answers, and how often it was restarted; exit 0 only if all answer",
  run: runStatus,
};
