export { createDatabase, type DatabaseOptions } from "./create-database.ts";
export { databaseError, isDatabaseUnavailable } from "./errors.ts";
export { migrateToLatest, type MigrationSet } from "./migrate.ts";
