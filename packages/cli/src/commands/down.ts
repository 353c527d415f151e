import { stopDaemon } from "@kino/stack";
import { planApps } from "../app-stack.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { infraUrls, stopInfra } from "../infra.ts";
import { devProfile, loadProfileConfig } from "../profiles.ts";

async function runDown(args: string[], { repoRoot, env, logger }: CommandContext): Promise<number> {
  parseCommandArgs(args, {});
  const config = loadProfileConfig(devProfile, repoRoot, env);
  const apps = planApps(repoRoot, { infra: infraUrls(config), dataDir: config.dataDir }, env);
  // Processes first, so none of them logs a storm of connection errors while the servers go.
  await Promise.all(apps.map(({ daemon }) => stopDaemon(daemon, { dataDir: config.dataDir, logger })));
  await stopInfra(config, logger);
  logger.info("the dev stack is stopped");
  return 0;
}

export const downCommand: Command = {
  name: "down",
  summary: "stop what `kino up` started (processes, then servers); data stays in .kino/dev",
  run: runDown,
};
