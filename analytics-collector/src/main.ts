import { createLogger, installShutdown, KinoError, loadConfigOrExit } from "@kino/platform";
import { startCollector } from "./collector.ts";
import { collectorConfigSchema } from "./config.ts";
import { loadNativeUws } from "./uws-native.ts";

const config = loadConfigOrExit(collectorConfigSchema);
const logger = createLogger({ name: "analytics-collector", level: config.logLevel });

try {
  const uws = loadNativeUws();
  const collector = await startCollector(config, { logger, uws });
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: collector.shutdownSteps });
} catch (error) {
  logger.fatal({ err: error }, KinoError.is(error) ? error.message : "analytics collector failed to start");
  process.exit(1);
}
