import type { Logger } from "pino";

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown> | unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Upper bound for all steps together; past it the process exits 1. */
  timeoutMs: number;
  /** Run in order: stop accepting first, then drain, then close pools. */
  steps: ShutdownStep[];
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * Installs SIGTERM/SIGINT handlers that run the shutdown steps once, within a
 * bounded time. Returns the function that runs them, for tests and for
 * callers that stop on their own.
 */
export function installShutdown(options: ShutdownOptions): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (): Promise<void> => {
    running ??= (async () => {
      const timer = setTimeout(() => {
        options.logger.error({ timeoutMs: options.timeoutMs }, "shutdown timed out");
        exit(1);
      }, options.timeoutMs);
      timer.unref();
      let failed = false;
      for (const step of options.steps) {
        try {
          await step.run();
          options.logger.debug({ step: step.name }, "shutdown step done");
        } catch (error) {
          failed = true;
          options.logger.error({ err: error, step: step.name }, "shutdown step failed");
        }
      }
      clearTimeout(timer);
      options.logger.info("stopped");
      exit(failed ? 1 : 0);
    })();
    return running;
  };

  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      options.logger.info({ signal }, "shutting down");
      void shutdown();
    });
  }
  return shutdown;
}
