import { Readable } from "node:stream";
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from "@clickhouse/client";
import { KinoError, silentLogger, type Logger } from "@kino/platform";
import { migrations as allMigrations, type Migration } from "./migrations/index.ts";
import { identifier } from "./sql-literals.ts";

export interface AnalyticsStoreOptions {
  /** ClickHouse HTTP interface, e.g. http://127.0.0.1:8123. */
  url: string;
  database: string;
  logger?: Logger;
  requestTimeoutMs?: number;
}

export interface MigrationReport {
  applied: number[];
  current: number;
}

/**
 * The analytics database in ClickHouse: schema, inserts and the client that
 * the query functions use. Table names are always qualified with the
 * database, so the client needs no default database (which would fail before
 * `migrate` creates it).
 */
export interface AnalyticsStore {
  readonly database: string;
  readonly client: ClickHouseClient;
  ping(): Promise<void>;
  /** Creates the database and applies pending migrations; safe to run concurrently and repeatedly. */
  migrate(migrations?: readonly Migration[]): Promise<MigrationReport>;
  /**
   * Inserts rows already serialised as JSONEachRow (one JSON object per
   * line) into `events`, in one INSERT. Resolves once ClickHouse has written
   * them; unknown keys are ignored so an older schema accepts newer rows.
   */
  insertEventsJson(chunks: readonly Uint8Array[]): Promise<void>;
  close(): Promise<void>;
}

export function createAnalyticsStore(options: AnalyticsStoreOptions): AnalyticsStore {
  const database = identifier(options.database);
  const logger = options.logger ?? silentLogger();
  const client = createClient({
    url: options.url,
    request_timeout: options.requestTimeoutMs ?? 30_000,
    // Errors reach callers as exceptions; the client's own logging would repeat them.
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: {},
  });

  async function run(query: string): Promise<void> {
    await client.command({ query });
  }

  return {
    database,
    client,

    async ping() {
      const result = await client.ping();
      if (!result.success) throw new KinoError("unavailable", "ClickHouse did not answer", { cause: result.error });
    },

    async migrate(migrations = allMigrations) {
      await run(`CREATE DATABASE IF NOT EXISTS ${database}`);
      await run(
        `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations (version UInt32, name String, applied_at DateTime) ` +
          "ENGINE = MergeTree() ORDER BY version",
      );
      const rows = await (
        await client.query({ query: `SELECT DISTINCT version FROM ${database}.schema_migrations`, format: "JSONEachRow" })
      ).json<{ version: number }>();
      const done = new Set(rows.map((r) => Number(r.version)));
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        for (const statement of migration.statements(database)) await run(statement);
        await client.insert({
          table: `${database}.schema_migrations`,
          values: [{ version: migration.version, name: migration.name, applied_at: Math.floor(Date.now() / 1000) }],
          format: "JSONEachRow",
        });
        logger.info({ database, version: migration.version, name: migration.name }, "analytics migration applied");
        applied.push(migration.version);
      }
      const current = Math.max(0, ...done, ...applied);
      return { applied, current };
    },

    async insertEventsJson(chunks) {
      if (chunks.length === 0) return;
      // `exec` streams the pre-serialised body as is; `insert` would
      // re-serialise row objects we already have as text.
      const result = await client.exec({
        query: `INSERT INTO ${database}.events FORMAT JSONEachRow`,
        values: Readable.from(chunks),
        clickhouse_settings: { input_format_skip_unknown_fields: 1 },
      });
      result.stream.resume();
      await new Promise<void>((resolve, reject) => {
        result.stream.once("end", resolve);
        result.stream.once("error", reject);
      });
    },

    close: () => client.close(),
  };
}
