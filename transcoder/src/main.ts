import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { transcoderConfigSchema } from "./config.ts";
import { startTranscoder } from "./transcoder.ts";

const config = loadConfigOrExit(transcoderConfigSchema);
const logger = createLogger({ name: "transcoder", level: config.logLevel });
try {
  const transcoder = await startTranscoder(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "transcoder", run: () => transcoder.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "transcoder failed to start");
  process.exit(1);
}
