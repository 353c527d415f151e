import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { authServiceConfigSchema } from "./config.ts";
import { startAuthService } from "./auth-service.ts";

const config = loadConfigOrExit(authServiceConfigSchema);
const logger = createLogger({ name: "auth", level: config.logLevel });
try {
  const auth = await startAuthService(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "auth", run: () => auth.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "auth failed to start");
  process.exit(1);
}
