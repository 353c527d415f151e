import assert from "node:assert/strict";
import { writeFile, mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import type { TempDir } from "@kino/testkit";
import { ensureDaemon, findFreePort, redisServer, stackLayout, stopDaemon, type DaemonSpec } from "../src/index.ts";
import { pidExists, pidsWithCommandLine } from "./process-assertions.ts";
import { createStackDir, logger } from "./stack-fixture.ts";

function listen(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("ensureDaemon", () => {
  let dir: TempDir;
  before(async () => {
    dir = await createStackDir();
  });
  after(() => dir.remove());

  test("a port held by another process fails naming the port and the variable to change", async () => {
    const port = await findFreePort();
    const squatter = await listen(port);
    try {
      await assert.rejects(ensureDaemon(redisServer({ port, portVariable: "KINO_TEST_REDIS_PORT" }), { dataDir: dir.path, logger }), (error: Error) => {
        assert.match(error.message, new RegExp(`port ${port}`));
        assert.match(error.message, /KINO_TEST_REDIS_PORT/);
        return true;
      });
    } finally {
      squatter.close();
    }
  });

  test("a process that dies while starting fails with how it ended and its log", async () => {
    const crashing: DaemonSpec = {
      name: "crasher",
      executable: "sh",
      ports: [],
      readyTimeoutMs: 10_000,
      probe: () => Promise.reject(new Error("never ready")),
      launch: async () => ({ command: "sh", args: ["-c", "echo 'config is broken' >&2; exit 3"] }),
    };
    const started = Date.now();
    await assert.rejects(ensureDaemon(crashing, { dataDir: dir.path, logger }), (error: Error) => {
      assert.match(error.message, /crasher exited with code 3/);
      assert.match(error.message, /config is broken/);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, "did not wait for the full timeout");
    assert.deepEqual(pidsWithCommandLine("supervisor-main.ts crasher"), [], "its supervisor does not restart it");
  });

  test("a stale pid file naming an unrelated live process is neither reused nor signalled", async () => {
    const server = redisServer({ port: await findFreePort() });
    const pidFile = stackLayout(dir.path).pidFile(server.name);
    await mkdir(stackLayout(dir.path).runDir, { recursive: true });
    await writeFile(pidFile, `${process.pid}\n`);
    const running = await ensureDaemon(server, { dataDir: dir.path, logger });
    try {
      assert.equal(running.reused, false);
      assert.notEqual(running.pid, process.pid);
    } finally {
      await stopDaemon(server, { dataDir: dir.path, logger });
    }
    assert.equal(pidExists(running.pid), false);
    await writeFile(pidFile, `${process.pid}\n`);
    assert.equal(await stopDaemon(server, { dataDir: dir.path, logger }), false);
    assert.ok(pidExists(process.pid));
  });
});
