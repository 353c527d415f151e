export { notifyConfigSchema, type NotifyConfig } from "./config.ts";
export { startNotifyService, type NotifyServiceOptions, type RunningNotify } from "./notify-service.ts";
export { notifyMigrations } from "./migrations/index.ts";
