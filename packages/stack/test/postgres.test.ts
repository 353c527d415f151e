import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { test } from "node:test";
import { createTempDir } from "@kino/testkit";
import { ensureDaemon, findFreePort, postgresServer, stopDaemon } from "../src/index.ts";
import { postgresQuery } from "../src/probes/postgres-query.ts";
import { pidExists } from "./process-assertions.ts";
import { createStackDir, logger } from "./stack-fixture.ts";

test("postgres starts a fresh cluster with the kino database, is reused, and stops", async (t) => {
  const dir = await createStackDir();
  const server = postgresServer({ port: await findFreePort(), durable: false });
  t.after(async () => {
    await stopDaemon(server, { dataDir: dir.path, logger });
    await dir.remove();
  });

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

test("postgres starts even when its data dir sits in a directory private to us", async (t) => {
  // mkdtemp makes the directory 0700: as root, the postgres user cannot enter it.
  const dir = await createTempDir("kino-stack-private-");
  const server = postgresServer({ port: await findFreePort(), durable: false });
  let clusterDir: string | undefined;
  // One hook, in this order: hooks run in the order they were added, and removing the dir first loses the pid files.
  t.after(async () => {
    await stopDaemon(server, { dataDir: dir.path, logger });
    // The fallback cluster lives outside the temp dir.
    if (clusterDir && !clusterDir.startsWith(dir.path)) await rm(clusterDir, { recursive: true, force: true });
    await dir.remove();
  });
  await ensureDaemon(server, { dataDir: dir.path, logger });
  const [row] = await postgresQuery<{ data_directory: string }>(server.url, "SHOW data_directory");
  clusterDir = row?.data_directory;
  assert.ok(clusterDir, "postgres answers and reports its cluster");
});
