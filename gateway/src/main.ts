import cluster from "node:cluster";
import { createLogger, installShutdown, loadConfigOrExit } from "@kino/platform";
import { gatewayConfigSchema } from "./config.ts";
import { startGatewayApp } from "./gateway-app.ts";
import { createWorkerLink, processChannel, superviseWorkers } from "./workers/index.ts";

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ name: "gateway", level: config.logLevel });

if (config.workers > 1 && cluster.isPrimary) {
  // This process only supervises; each worker runs this file again and serves.
  const supervisor = superviseWorkers({ workers: config.workers, logger });
  installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "workers", run: () => supervisor.close(Math.max(100, config.shutdownTimeoutMs - 1000)) }] });
  try {
    await supervisor.ready;
    logger.info({ workers: config.workers, listen: config.listen }, "gateway workers listening");
  } catch (error) {
    logger.fatal({ err: error }, "gateway failed to start");
    process.exit(1);
  }
} else {
  const workerLink = cluster.isWorker ? createWorkerLink(processChannel()) : undefined;
  try {
    const app = await startGatewayApp(config, logger, workerLink);
    const shutdown = installShutdown({ logger, timeoutMs: config.shutdownTimeoutMs, steps: [{ name: "gateway", run: () => app.close() }] });
    // The primary is gone (killed): nothing would replace this worker or hold its locks, so it drains and stops.
    if (cluster.isWorker) process.once("disconnect", () => void shutdown());
  } catch (error) {
    logger.fatal({ err: error }, "gateway failed to start");
    process.exit(1);
  }
}
