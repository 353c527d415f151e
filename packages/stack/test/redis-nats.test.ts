import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { daemonStatus, ensureDaemon, findFreePort, natsServer, redisServer, stackLayout, stopDaemon, type InfraServer } from "../src/index.ts";
import { createStackDir, logger } from "./stack-fixture.ts";
import { pidExists } from "./process-assertions.ts";
import { redisPing } from "../src/probes/redis-ping.ts";
import type { TempDir } from "@kino/testkit";

describe("redis and nats daemons", () => {
  let dir: TempDir;
  let servers: InfraServer[];

  before(async () => {
    dir = await createStackDir();
    servers = [redisServer({ port: await findFreePort() }), natsServer({ port: await findFreePort() })];
  });

  after(async () => {
    for (const server of servers) await stopDaemon(server, { dataDir: dir.path, logger });
    await dir.remove();
  });

  test("start, answer their probes, and record their pids", async () => {
    for (const server of servers) {
      const running = await ensureDaemon(server, { dataDir: dir.path, logger });
      assert.equal(running.reused, false);
      assert.ok(pidExists(running.pid));
      assert.ok(existsSync(stackLayout(dir.path).pidFile(server.name)));
      await server.probe();
    }
  });

  test("a second start reuses the running processes", async () => {
    for (const server of servers) {
      const first = await ensureDaemon(server, { dataDir: dir.path, logger });
      const second = await ensureDaemon(server, { dataDir: dir.path, logger });
      assert.equal(second.reused, true);
      assert.equal(second.pid, first.pid);
    }
  });

  test("killed with SIGKILL, each comes back on its own and answers again", async () => {
    for (const server of servers) {
      const first = await ensureDaemon(server, { dataDir: dir.path, logger });
      process.kill(first.pid, "SIGKILL");
      const deadline = Date.now() + 15_000;
      let status = await daemonStatus(server, dir.path);
      while (!(status.healthy && status.pid !== first.pid) && Date.now() < deadline) {
        await sleep(100);
        status = await daemonStatus(server, dir.path);
      }
      assert.ok(status.healthy && status.pid !== first.pid, `${server.name} runs again`);
      assert.equal(status.restarts, 1);
      assert.equal(status.lastExit?.signal, "SIGKILL");
    }
  });

  test("stop ends exactly the recorded processes and removes their pid files", async () => {
    const pids = await Promise.all(servers.map(async (s) => (await ensureDaemon(s, { dataDir: dir.path, logger })).pid));
    for (const server of servers) assert.equal(await stopDaemon(server, { dataDir: dir.path, logger }), true);
    for (const pid of pids) assert.equal(pidExists(pid), false, `pid ${pid} still runs`);
    for (const server of servers) assert.equal(existsSync(stackLayout(dir.path).pidFile(server.name)), false);
    await assert.rejects(redisPing(Number(new URL(servers[0]!.url).port)));
    assert.equal(await stopDaemon(servers[0]!, { dataDir: dir.path, logger }), false, "a second stop finds nothing to stop");
  });
});
