import pg from "pg";

/** Runs one statement on a short-lived connection. */
export async function postgresQuery<Row extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {
    // A connection dropped during shutdown must not crash the caller; query() already rejects.
  });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
