import type { PipelineStep } from "./pipeline-step.ts";
import { runCommand } from "./run-command.ts";

const generatedDir = "packages/proto/gen";

export const bufLintStep: PipelineStep = {
  title: "buf lint",
  run: async ({ repoRoot, env }) => (await runCommand("pnpm", ["exec", "buf", "lint"], { cwd: repoRoot, env })).code === 0,
};

/** Regenerates the code and fails when that changed what is in git: someone edited a .proto and forgot `pnpm gen`. */
export const generatedCodeFreshStep: PipelineStep = {
  title: "generated code is fresh (buf generate)",
  async run({ repoRoot, env, write }) {
    if ((await runCommand("pnpm", ["exec", "buf", "generate"], { cwd: repoRoot, env })).code !== 0) return false;
    const status = await runCommand("git", ["status", "--porcelain", "--", generatedDir], { cwd: repoRoot, env, capture: true });
    if (status.code !== 0) return false;
    if (status.stdout.trim() === "") return true;
    const diff = await runCommand("git", ["diff", "--stat", "--", generatedDir], { cwd: repoRoot, env, capture: true });
    write(`${diff.stdout}${status.stdout}generated code is stale: run pnpm gen and commit\n`);
    return false;
  },
};

/** Compares the contracts with the previous commit; a shallow clone has none to compare with. */
export const bufBreakingStep: PipelineStep = {
  title: "buf breaking against HEAD~1",
  async run({ repoRoot, env, write }) {
    const previous = await runCommand("git", ["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"], { cwd: repoRoot, env, capture: true });
    if (previous.code !== 0) {
      write("skipped: HEAD~1 is not in this clone (a shallow clone or the first commit), so there is nothing to compare with\n");
      return true;
    }
    return (await runCommand("pnpm", ["exec", "buf", "breaking", "--against", ".git#ref=HEAD~1"], { cwd: repoRoot, env })).code === 0;
  },
};
