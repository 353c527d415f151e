import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { TempDir } from "@kino/testkit";
import { ensureDaemon, findFreePort, postgresServer, stopDaemon, type InfraServer } from "../src/index.ts";
import { postgresQuery } from "../src/probes/postgres-query.ts";
import { pidExists } from "./process-assertions.ts";
import { createStackDir, logger } from "./stack-fixture.ts";

let dir: TempDir;
let server: InfraServer;

before(async () => {
  dir = await createStackDir();
  server = postgresServer({ port: await findFreePort(), durable: false });
});

after(async () => {
  await stopDaemon(server, { dataDir: dir.path, logger });
  await dir.remove();
});

test("postgres starts a fresh cluster with the kino database, is reused, and stops", async () => {
  const first = await ensureDaemon(server, { dataDir: dir.path, logger });
  const [row] = await postgresQuery<{ db: string; superuser: boolean }>(
    server.url,
    "SELECT current_database() AS db, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user",
  );
  assert.deepEqual(row, { db: "kino", superuser: true });

  const second = await ensureDaemon(server, { dataDir: dir.path, logger });
  assert.equal(second.reused, true);
  assert.equal(second.pid, first.pid);

  assert.equal(await stopDaemon(server, { dataDir: dir.path, logger }), true);
  assert.equal(pidExists(first.pid), false);
  await assert.rejects(postgresQuery(server.url, "SELECT 1"));
});
