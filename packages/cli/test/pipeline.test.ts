import assert from "node:assert/strict";
import { test } from "node:test";
import { runPipeline, type PipelineStep } from "../src/test-pipeline/pipeline-step.ts";

function step(title: string, passes: boolean, ran: string[]): PipelineStep {
  return {
    title,
    run: async () => {
      ran.push(title);
      return passes;
    },
  };
}

test("the pipeline stops at the first failing step, under a numbered header per step", async () => {
  const ran: string[] = [];
  let output = "";
  const lint = step("lint", true, ran);
  const typecheck = step("typecheck", false, ran);
  const result = await runPipeline([lint, typecheck, step("tests", true, ran)], {
    repoRoot: "/repo",
    env: {},
    write: (text) => (output += text),
  });
  assert.deepEqual(ran, ["lint", "typecheck"]);
  assert.equal(result.passed, false);
  assert.equal(result.failedStep, typecheck);
  assert.deepEqual(output.trim().split("\n").filter(Boolean), ["── [1/3] lint", "── [2/3] typecheck"]);
});

test("the pipeline passes when every step does", async () => {
  const ran: string[] = [];
  const result = await runPipeline([step("a", true, ran), step("b", true, ran)], { repoRoot: "/repo", env: {}, write: () => {} });
  assert.deepEqual(result, { passed: true });
  assert.deepEqual(ran, ["a", "b"]);
});
