import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { gatewayConfigSchema } from "./config.ts";
import { startGateway } from "./gateway.ts";

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ name: "gateway", level: config.logLevel });
if (config.apiKeys.size === 0) logger.warn("KINO_API_KEYS is empty: every call is anonymous and can only read READY videos");
try {
  const gateway = await startGateway({ config, logger });
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "gateway", run: () => gateway.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "gateway failed to start");
  process.exit(1);
}
