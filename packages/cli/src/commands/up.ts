import { ensureDaemon, ensureSystemPackages } from "@kino/stack";
import { ensureServiceKeyFiles } from "@kino/grpc";
import { serviceKeysDir } from "../app-processes.ts";
import { planApps } from "../app-stack.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { ensureDevAdmin, ensureServiceDatabases } from "../dev-admin.ts";
import { ensureDevSecret } from "../dev-secrets.ts";
import { infraPackages, infraUrls, managedServers, startInfra } from "../infra.ts";
import { postUpSteps } from "../post-up.ts";
import { devProfile, loadProfileConfig } from "../profiles.ts";
import { upPackages } from "../system-requirements.ts";
import { accountsHint, stackTable, type AppOutcome } from "../up-report.ts";
import { ensureWebAppBuilt } from "../web-app-build.ts";

async function runUp(args: string[], { repoRoot, env, logger }: CommandContext): Promise<number> {
  parseCommandArgs(args, {});
  const config = loadProfileConfig(devProfile, repoRoot, env);
  ensureSystemPackages([...infraPackages(config), ...upPackages], logger);
  const servers = await startInfra(config, logger);
  const urls = infraUrls(config);
  const secrets = {
    uploadSecret: (await ensureDevSecret(config.dataDir, "upload-secret")).value,
    playbackTokenSecret: (await ensureDevSecret(config.dataDir, "playback-token-secret")).value,
    signingKeySecret: (await ensureDevSecret(config.dataDir, "auth-signing-key-secret")).value,
  };
  const keys = await ensureServiceKeyFiles(serviceKeysDir(config.dataDir));
  if (!keys.created && keys.added.length > 0) {
    // Running services read the trust file at start: until restarted they refuse the new services' calls.
    logger.warn(`made service keys for ${keys.added.join(", ")}: run ./kino down and ./kino up so every service trusts them`);
  }
  await ensureServiceDatabases(urls.postgres);

  // Before the gateway starts, so / serves the current build from its first request.
  await ensureWebAppBuilt(repoRoot, logger);
  const context = { infra: urls, dataDir: config.dataDir, secrets };
  const apps = planApps(repoRoot, context, env);
  for (const { app } of apps.filter((planned) => !planned.present)) {
    logger.warn(`skipping ${app.name}: ${app.entry} does not exist yet`);
  }
  // Started side by side; one that fails does not keep the others down.
  const outcomes: AppOutcome[] = await Promise.all(
    apps
      .filter((planned) => planned.present)
      .map(({ app, daemon }) =>
        ensureDaemon(daemon, { dataDir: config.dataDir, logger }).then(
          (running) => ({ app, running }),
          (error: unknown) => ({ app, error }),
        ),
      ),
  );
  const failures = outcomes.flatMap((outcome) => ("error" in outcome ? [outcome.error] : []));
  for (const failure of failures) logger.error(failure instanceof Error ? failure.message : String(failure));

  process.stdout.write(`\n${stackTable(repoRoot, managedServers(config), servers, outcomes)}\n\n`);
  if (failures.length > 0) {
    process.stderr.write(`${failures.length} process(es) did not become healthy: see their logs, then run ./kino up again\n`);
    return 1;
  }
  const admin = await ensureDevAdmin(repoRoot, context, env);
  const gateway = outcomes.find((outcome) => outcome.app.name === "gateway");
  if (gateway) process.stdout.write(accountsHint(repoRoot, admin, gateway.app.url));

  for (const step of postUpSteps) {
    logger.info(`running ${step.name}`);
    await step.run({ repoRoot, dataDir: config.dataDir, infra: urls, apiKeyFile: admin.apiKeyFile, logger });
  }
  return 0;
}

export const upCommand: Command = {
  name: "up",
  summary: "start the infrastructure and every Kino process in the background (.kino/dev)",
  run: runUp,
};
