import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { gatewayConfigSchema } from "./config.ts";
import { startGatewayApp } from "./gateway-app.ts";

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ name: "gateway", level: config.logLevel });

try {
  const app = await startGatewayApp(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "gateway", run: () => app.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "gateway failed to start");
  process.exit(1);
}
