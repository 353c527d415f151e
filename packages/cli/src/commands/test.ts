import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { redactUrl } from "@kino/platform";
import { ensureSystemPackages } from "@kino/stack";
import { parseCommandArgs } from "../args.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { infraPackages, infraUrls, startInfra, stopInfra, type InfraUrls } from "../infra.ts";
import { loadProfileConfig, testProfile } from "../profiles.ts";
import { testPackages } from "../system-requirements.ts";
import { findTestFiles } from "../test-pipeline/find-test-files.ts";
import { anchorJetStreamStore } from "../test-pipeline/nats-anchor.ts";
import { nodeTestsStep } from "../test-pipeline/node-tests-step.ts";
import { runPipeline, type PipelineResult } from "../test-pipeline/pipeline-step.ts";
import { bufBreakingStep, bufLintStep, generatedCodeFreshStep } from "../test-pipeline/proto-steps.ts";
import { tapSummary } from "../test-pipeline/tap-summary.ts";
import { typecheckStep } from "../test-pipeline/typecheck-step.ts";
import { needsWebBuild, webBuildStep } from "../test-pipeline/web-build-step.ts";

export interface TestArgs {
  only?: string;
  keep: boolean;
}

export function parseTestArgs(args: string[]): TestArgs {
  const values = parseCommandArgs(args, { only: { type: "string" }, keep: { type: "boolean", default: false } });
  if (values.only === "") throw new UsageError("--only needs a non-empty path substring");
  return { only: values.only, keep: values.keep };
}

/** The variables integration tests read (see requireTestEnv in @kino/testkit). */
export function testServerEnv(urls: InfraUrls): Record<string, string> {
  return {
    KINO_TEST_POSTGRES_URL: urls.postgres,
    KINO_TEST_REDIS_URL: urls.redis,
    KINO_TEST_NATS_URL: urls.nats,
    KINO_TEST_CLICKHOUSE_URL: urls.clickhouse,
  };
}

/**
 * A first Ctrl-C reaches the test runner too (same process group); we stay
 * to stop the servers once it has exited. A second one leaves at once.
 */
function stopOnSecondInterrupt(): () => void {
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write("\ninterrupted: stopping the test servers (Ctrl-C again to leave them running)\n");
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}

async function runTest(args: string[], { repoRoot, env, logger }: CommandContext): Promise<number> {
  const { only, keep } = parseTestArgs(args);
  const config = loadProfileConfig(testProfile, repoRoot, env);
  const files = await findTestFiles(repoRoot, only);
  if (files.length === 0) throw new UsageError(only ? `no test file path contains ${JSON.stringify(only)}` : "no test files found");

  ensureSystemPackages([...infraPackages(config), ...testPackages], logger);
  await mkdir(config.dataDir, { recursive: true });
  const tapFile = join(config.dataDir, "test-report.tap");
  const testsStep = nodeTestsStep({ files, tapFile });
  const write = (text: string) => process.stdout.write(text);
  const restoreSigint = stopOnSecondInterrupt();
  let result: PipelineResult;
  try {
    await startInfra(config, logger);
    await anchorJetStreamStore(infraUrls(config).nats, logger);
    const childEnv = { ...env, ...testServerEnv(infraUrls(config)) };
    const steps = [bufLintStep, generatedCodeFreshStep, bufBreakingStep, typecheckStep, ...(needsWebBuild(files) ? [webBuildStep] : []), testsStep];
    result = await runPipeline(steps, { repoRoot, env: childEnv, write });
  } finally {
    if (keep) {
      write(`\ntest servers left running (--keep):\n`);
      for (const [name, value] of Object.entries(testServerEnv(infraUrls(config)))) write(`  export ${name}=${redactUrl(value)}\n`);
    } else {
      await stopInfra(config, logger);
    }
    restoreSigint();
  }

  if (result.failedStep && result.failedStep !== testsStep) {
    write(`\nkino test failed at: ${result.failedStep.title}\n`);
    return 1;
  }
  // Node's closing counts go last: CI reads the end of the output.
  const tap = await readFile(tapFile, "utf8").catch(() => "");
  const summary = tapSummary(tap);
  write(summary.length > 0 ? `\n${summary.join("\n")}\n` : "\nthe test runner ended without a summary\n");
  return result.passed ? 0 : 1;
}

export const testCommand: Command = {
  name: "test",
  summary: "start the test servers (.kino/test), then lint, check generated code and contracts, typecheck, and run every test",
  usage: "[--only <path-substring>] [--keep]",
  run: runTest,
};
