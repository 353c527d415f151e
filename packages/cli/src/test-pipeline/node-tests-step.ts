import { rm } from "node:fs/promises";
import type { PipelineStep } from "./pipeline-step.ts";
import { runCommand } from "./run-command.ts";

export interface NodeTestsOptions {
  files: readonly string[];
  /** A TAP copy of the report, whose closing counts are printed again at the very end. */
  tapFile: string;
}

/** One run of Node's test runner over every file: spec output on the terminal, TAP to a file. */
export function nodeTestsStep({ files, tapFile }: NodeTestsOptions): PipelineStep {
  return {
    title: `tests (${files.length} files)`,
    async run({ repoRoot, env }) {
      await rm(tapFile, { force: true });
      const args = [
        "--import",
        "tsx",
        "--test",
        "--test-concurrency=3",
        // Bounds each test file (its process included): a hang fails after
        // 7 minutes instead of eating CI's time budget.
        "--test-timeout=420000",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ];
      return (await runCommand(process.execPath, args, { cwd: repoRoot, env })).code === 0;
    },
  };
}
