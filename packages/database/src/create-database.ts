import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";

export interface DatabaseOptions {
  url: string;
  /** Upper bound on pooled connections. */
  maxConnections?: number;
  /** How long a query waits for a connection before failing as unavailable. */
  connectTimeoutMs?: number;
}

/** A kysely instance over a pg pool; `db.destroy()` closes the pool. */
export function createDatabase<Schema>(options: DatabaseOptions): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
  });
  // An idle client losing its server (PostgreSQL restarted) is emitted here;
  // without a listener it would crash the process. The next query reconnects.
  pool.on("error", () => {});
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
