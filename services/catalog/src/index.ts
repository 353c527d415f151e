export { catalogConfigSchema, type CatalogConfig } from "./config.ts";
export { startCatalogService, type RunningCatalog } from "./catalog-service.ts";
export { catalogMigrations } from "./migrations/index.ts";
