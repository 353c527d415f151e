import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { analyticsConfigSchema } from "./config.ts";
import { startAnalyticsService } from "./analytics-service.ts";

const config = loadConfigOrExit(analyticsConfigSchema);
const logger = createLogger({ name: "analytics", level: config.logLevel });
try {
  const analytics = await startAnalyticsService(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "analytics", run: () => analytics.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "analytics failed to start");
  process.exit(1);
}
