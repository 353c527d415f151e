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
  // A client losing its server (PostgreSQL restarted, the backend terminated)
  // emits 'error': an idle one through the pool, a checked-out one on itself,
  // where pg-pool does not listen. Unheard, either would crash the process;
  // the query in progress or the next one rejects anyway, and the pool
  // replaces the broken client.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
