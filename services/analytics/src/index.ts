export { analyticsConfigSchema, type AnalyticsConfig } from "./config.ts";
export { startAnalyticsService, type RunningAnalytics } from "./analytics-service.ts";
