export { KinoError, type KinoErrorCode } from "./errors.ts";
export {
  ConfigError,
  boolField,
  enumField,
  intField,
  listenField,
  loadConfigOrExit,
  parseConfig,
  redactUrl,
  splitListen,
  stringField,
  urlField,
  type ConfigField,
  type ConfigOf,
  type ConfigSchema,
} from "./config.ts";
export { createLogger, silentLogger, type Logger, type LoggerOptions } from "./logger.ts";
export { installShutdown, type ShutdownOptions, type ShutdownStep } from "./shutdown.ts";
export { runHealthChecks, type CheckResult, type HealthCheck, type HealthReport } from "./health.ts";
export { createMetricsRegistry, Registry } from "./metrics.ts";
export { createOpsHandler, type OpsRoutesOptions } from "./ops-routes.ts";
export { startOpsServer, type OpsServer } from "./ops-server.ts";
export {
  isOwnerId,
  isVideoId,
  ownerIdPattern,
  ownerIdShape,
  tokenIdPattern,
  tokenIdShape,
  videoIdPattern,
  videoIdShape,
} from "./identifiers.ts";
export { checkText, truncateText, type TextRule } from "./text-rules.ts";
