import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import type { TempDir } from "@kino/testkit";
import { clickHouseServer, ensureDaemon, findFreePort, httpOk, stopDaemon, type InfraServer } from "../src/index.ts";
import { pidExists } from "./process-assertions.ts";
import { createStackDir, logger } from "./stack-fixture.ts";

interface Instance {
  dir: TempDir;
  tcpPort: number;
  server: InfraServer;
}

const instances: Instance[] = [];

before(async () => {
  for (let i = 0; i < 2; i++) {
    const tcpPort = await findFreePort();
    instances.push({ dir: await createStackDir(), tcpPort, server: clickHouseServer({ httpPort: await findFreePort(), tcpPort }) });
  }
});

after(async () => {
  for (const { server, dir } of instances) {
    await stopDaemon(server, { dataDir: dir.path, logger });
    await dir.remove();
  }
});

test("two clickhouse servers run side by side on their own ports and data dirs", async () => {
  const running = await Promise.all(instances.map(({ server, dir }) => ensureDaemon(server, { dataDir: dir.path, logger })));
  const [first, second] = instances as [Instance, Instance];

  // Created over the native protocol of the first server only.
  execFileSync("clickhouse-client", ["--port", String(first.tcpPort), "--query", "CREATE TABLE only_here (x UInt8) ENGINE = Memory"]);
  const exists = await Promise.all([first, second].map(({ server }) => httpOk(`${server.url}/?query=EXISTS%20TABLE%20only_here`)));
  assert.deepEqual(exists.map((answer) => answer.trim()), ["1", "0"]);

  for (const { server, dir } of instances) assert.equal(await stopDaemon(server, { dataDir: dir.path, logger }), true);
  for (const daemon of running) assert.equal(pidExists(daemon.pid), false);
});
