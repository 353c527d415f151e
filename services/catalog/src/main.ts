import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { catalogConfigSchema } from "./config.ts";
import { startCatalogService } from "./catalog-service.ts";

const config = loadConfigOrExit(catalogConfigSchema);
const logger = createLogger({ name: "catalog", level: config.logLevel });
try {
  const catalog = await startCatalogService(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "catalog", run: () => catalog.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "catalog failed to start");
  process.exit(1);
}
