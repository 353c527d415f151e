import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { notifyConfigSchema } from "./config.ts";
import { startNotifyService } from "./notify-service.ts";

const config = loadConfigOrExit(notifyConfigSchema);
const logger = createLogger({ name: "notify", level: config.logLevel });
try {
  const notify = await startNotifyService(config, logger);
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "notify", run: () => notify.close() }] });
} catch (error) {
  logger.fatal({ err: error }, "notify failed to start");
  process.exit(1);
}
