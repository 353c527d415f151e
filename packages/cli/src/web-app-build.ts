import type { Logger } from "@kino/platform";
import { runCommand } from "./test-pipeline/run-command.ts";

/**
 * Builds the web app when web/dist is missing or older than its sources
 * (web/scripts/web-build.ts decides). A failed build leaves the API and the
 * rest of the stack up: the gateway answers / with a hint to build.
 */
export async function ensureWebAppBuilt(repoRoot: string, logger: Logger): Promise<boolean> {
  const result = await runCommand(process.execPath, ["--import", "tsx", "web/scripts/web-build.ts"], { cwd: repoRoot, env: process.env, capture: true });
  if (result.code === 0) {
    logger.info(result.stdout.trim());
    return true;
  }
  logger.warn("the web app did not build: run pnpm --filter @kino/web build to see why; the API works without it");
  return false;
}
