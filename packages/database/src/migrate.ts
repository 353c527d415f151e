import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Logger } from "@kino/platform";

/** Migrations kept in code, keyed by a name that sorts in the order to apply them. */
export type MigrationSet = Record<string, Migration>;

class InlineMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: MigrationSet) {}
  async getMigrations(): Promise<MigrationSet> {
    return this.migrations;
  }
}

/**
 * Applies pending migrations. kysely's Migrator takes a lock table, so
 * concurrent starts of several replicas apply each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>, migrations: MigrationSet, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: new InlineMigrationProvider(migrations) });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === "Success") logger.info({ migration: result.migrationName }, "migration applied");
    if (result.status === "Error") logger.error({ migration: result.migrationName }, "migration failed");
  }
  if (error) throw new Error("database migration failed", { cause: error });
}
