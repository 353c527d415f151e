export { searchConfigSchema, searchServiceConfigSchema, type SearchConfig, type SearchServiceConfig } from "./config.ts";
export { startSearchService, type RunningSearch } from "./search-service.ts";
export { rebuildSearch } from "./rebuild.ts";
