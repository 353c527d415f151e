import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { silentLogger } from "@kino/platform";
import { ensureServiceKeyFiles } from "@kino/grpc";
import { daemonStatus, ensureDaemon, findFreePort, natsServer, stopDaemon, type DaemonSpec, type DaemonStatus, type InfraServer } from "@kino/stack";
import { createTempDir, createTestDatabase, type TempDir, type TestDatabase } from "@kino/testkit";
import { appDaemon } from "../src/app-daemon.ts";
import { appProcesses, serviceKeysDir, type AppProcess } from "../src/app-processes.ts";
import { repoRoot } from "../src/repo-root.ts";

// The catalog as `kino up` runs it (node --import tsx services/catalog/src/main.ts, under a supervisor),
// on ports of its own, a database of its own and a private NATS, so nothing it leaves touches anyone else.
const logger = silentLogger();
let dir: TempDir;
let database: TestDatabase;
let nats: InfraServer;
let catalog: DaemonSpec;

function pidExists(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

before(async () => {
  dir = await createTempDir("kino-cli-supervised-");
  database = await createTestDatabase("kino_cli_supervised");
  nats = natsServer({ port: await findFreePort() });
  await ensureDaemon(nats, { dataDir: dir.path, logger });
  const [grpcPort, opsPort] = [await findFreePort(), await findFreePort()];
  const app = appProcesses.find((candidate) => candidate.name === "catalog") as AppProcess;
  const ownPorts: AppProcess = {
    ...app,
    healthUrl: `http://127.0.0.1:${opsPort}/healthz`,
    env: (context) => ({ ...app.env(context), KINO_CATALOG_LISTEN: `127.0.0.1:${grpcPort}`, KINO_CATALOG_OPS_LISTEN: `127.0.0.1:${opsPort}` }),
  };
  const context = { infra: { postgres: database.url, nats: nats.url, redis: "", clickhouse: "" }, dataDir: dir.path, apiKeys: "", uploadSecret: "" };
  // As `kino up` does before starting anything.
  await ensureServiceKeyFiles(serviceKeysDir(dir.path));
  catalog = appDaemon(ownPorts, { repoRoot: repoRoot(), context, baseEnv: process.env });
});

after(async () => {
  await stopDaemon(catalog, { dataDir: dir.path, logger });
  await stopDaemon(nats, { dataDir: dir.path, logger });
  await database.drop();
  await dir.remove();
});

test("a catalog killed with SIGKILL is started again by its supervisor; stop leaves nothing running", async () => {
  const first = await ensureDaemon(catalog, { dataDir: dir.path, logger });
  process.kill(first.pid, "SIGKILL");

  const deadline = Date.now() + 60_000;
  let status: DaemonStatus;
  for (;;) {
    status = await daemonStatus(catalog, dir.path);
    if ((status.healthy && status.pid !== first.pid) || Date.now() > deadline) break;
    await sleep(200);
  }
  assert.ok(status.healthy && status.pid !== first.pid, "a new catalog answers /healthz");
  assert.equal(status.restarts, 1);
  assert.equal(status.lastExit?.signal, "SIGKILL");
  assert.equal(status.supervisorPid, first.supervisorPid);

  assert.equal(await stopDaemon(catalog, { dataDir: dir.path, logger }), true);
  for (const pid of [first.pid, status.pid!, first.supervisorPid]) assert.equal(pidExists(pid), false, `pid ${pid} is gone`);
  await sleep(1_500);
  assert.equal((await daemonStatus(catalog, dir.path)).running, false, "nothing started it again");
});
