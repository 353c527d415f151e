export interface PipelineContext {
  repoRoot: string;
  /** The environment of every child: the caller's plus the test server URLs. */
  env: NodeJS.ProcessEnv;
  write(text: string): void;
}

/** One fail-fast step of `kino test`. */
export interface PipelineStep {
  title: string;
  /** Resolves to whether the step passed. */
  run(context: PipelineContext): Promise<boolean>;
}

export interface PipelineResult {
  passed: boolean;
  /** The step that failed, if one did. */
  failedStep?: PipelineStep;
}

/** Runs the steps in order under a header line each, stopping at the first failure. */
export async function runPipeline(steps: readonly PipelineStep[], context: PipelineContext): Promise<PipelineResult> {
  for (const [i, step] of steps.entries()) {
    context.write(`\n── [${i + 1}/${steps.length}] ${step.title}\n`);
    if (!(await step.run(context))) return { passed: false, failedStep: step };
  }
  return { passed: true };
}
