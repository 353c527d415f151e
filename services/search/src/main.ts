import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { searchServiceConfigSchema } from "./config.ts";
import { startSearchService } from "./search-service.ts";

const config = loadConfigOrExit(searchServiceConfigSchema);
const logger = createLogger({ name: "search", level: config.logLevel });
try {
  const search = await startSearchService(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "search", run: () => search.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "search failed to start");
  process.exit(1);
}
