import type { PipelineStep } from "./pipeline-step.ts";
import { runCommand } from "./run-command.ts";

/**
 * The web app's browser tests load its build through a real gateway, so it
 * is built first (skipped when web/dist is newer than its sources), and its
 * tests and scripts, outside the root tsconfig, are typechecked here.
 */
export const webBuildStep: PipelineStep = {
  title: "web app: build if stale, typecheck its tests",
  async run({ repoRoot, env }) {
    const built = await runCommand(process.execPath, ["--import", "tsx", "web/scripts/web-build.ts"], { cwd: repoRoot, env });
    if (built.code !== 0) return false;
    return (await runCommand("pnpm", ["exec", "tsc", "-p", "web/tsconfig.node.json"], { cwd: repoRoot, env })).code === 0;
  },
};

/** Only runs that include web tests need the build. */
export const needsWebBuild = (files: readonly string[]) => files.some((file) => file.startsWith("web/"));
