import type { PipelineStep } from "./pipeline-step.ts";
import { runCommand } from "./run-command.ts";

export const typecheckStep: PipelineStep = {
  title: "typecheck (tsc)",
  run: async ({ repoRoot, env }) => (await runCommand("pnpm", ["exec", "tsc", "-p", "tsconfig.json"], { cwd: repoRoot, env })).code === 0,
};
