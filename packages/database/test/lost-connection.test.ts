import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { createTestDatabase, type TestDatabase } from "@kino/testkit";
import { createDatabase } from "../src/index.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase("kino_db_lost");
});
after(async () => {
  await database?.drop();
});

// The server ending a connection that is checked out but between queries
// (inside a transaction, say) is an 'error' event on a client pg-pool no
// longer listens to: without a listener of ours the process would die.
test("a connection the server ends while it is checked out fails its next query; the process lives and the pool recovers", async () => {
  // One connection, so the query after must come from a replaced client, not a spare.
  const db = createDatabase<unknown>({ url: database.url, maxConnections: 1 });
  const other = createDatabase<unknown>({ url: database.url });
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    await assert.rejects(
      db.connection().execute(async (connection) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(connection);
        await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(other);
        // Let the termination reach the idle, checked-out client.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`SELECT 1`.execute(connection);
      }),
      /terminat|Connection/i,
    );
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
    assert.equal(rows[0]?.one, 1, "the next query gets a fresh connection");
    assert.deepEqual(uncaught, [], "nothing was thrown past the pool");
  } finally {
    process.off("uncaughtException", onUncaught);
    await db.destroy();
    await other.destroy();
  }
});
