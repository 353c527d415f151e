import { relative } from "node:path";
import { ensureDaemon, ensureSystemPackages, type RunningDaemon } from "@kino/stack";
import { planApps } from "../app-stack.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { ensureDevApiKey } from "../dev-api-key.ts";
import { infraPackages, infraUrls, managedServers, startInfra } from "../infra.ts";
import { postUpSteps } from "../post-up.ts";
import { devProfile, loadProfileConfig } from "../profiles.ts";
import { upPackages } from "../system-requirements.ts";
import { formatTable } from "../table.ts";

async function runUp(args: string[], { repoRoot, env, logger }: CommandContext): Promise<number> {
  parseCommandArgs(args, {});
  const config = loadProfileConfig(devProfile, repoRoot, env);
  ensureSystemPackages([...infraPackages(config), ...upPackages], logger);
  const servers = await startInfra(config, logger);
  const urls = infraUrls(config);
  const apiKey = await ensureDevApiKey(config.dataDir);

  const apps = planApps(repoRoot, { infra: urls, dataDir: config.dataDir, apiKeys: apiKey.apiKeys }, env);
  for (const { app } of apps.filter((planned) => !planned.present)) {
    logger.warn(`skipping ${app.name}: ${app.entry} does not exist yet`);
  }
  const present = apps.filter((planned) => planned.present);
  const results = await Promise.allSettled(present.map(({ daemon }) => ensureDaemon(daemon, { dataDir: config.dataDir, logger })));

  const show = (path: string) => relative(repoRoot, path);
  const rows: string[][] = [["NAME", "URL", "PID", "LOG"]];
  const byName = new Map<string, RunningDaemon>(servers.map((server) => [server.name, server]));
  for (const server of managedServers(config)) {
    const running = byName.get(server.name);
    rows.push([server.name, server.url, String(running?.pid ?? "-"), running ? show(running.logFile) : "-"]);
  }
  let failed = 0;
  results.forEach((result, i) => {
    const { app } = present[i]!;
    if (result.status === "fulfilled") {
      rows.push([app.name, app.url, String(result.value.pid), show(result.value.logFile)]);
    } else {
      failed++;
      logger.error(result.reason instanceof Error ? result.reason.message : String(result.reason));
      rows.push([app.name, app.url, "failed", "-"]);
    }
  });
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  process.stdout.write(`The gateway accepts the API key in ${show(apiKey.file)}, e.g.\n`);
  process.stdout.write(
    `  curl -H "Authorization: Bearer $(cat ${show(apiKey.file)})" -H "Content-Type: application/json" -d '{}' ` +
      `http://127.0.0.1:8080/kino.catalog.v1.CatalogService/ListVideos\n`,
  );
  if (failed > 0) {
    process.stderr.write(`${failed} process(es) did not become healthy; see their logs, then run kino up again\n`);
    return 1;
  }

  for (const step of postUpSteps) {
    logger.info(`running ${step.name}`);
    await step.run({ repoRoot, dataDir: config.dataDir, infra: urls, apiKeyFile: apiKey.file, logger });
  }
  return 0;
}

export const upCommand: Command = {
  name: "up",
  summary: "start the infrastructure and every Kino process in the background (.kino/dev)",
  run: runUp,
};
