import assert from "node:assert/strict";
import { chmod } from "node:fs/promises";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { silentLogger } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { ensureDaemon, findFreePort, postgresServer, stopDaemon } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import { aliceKey, startTestStack, type TestStack } from "./start-test-stack.ts";

// PostgreSQL of this test's own, so it can be stopped without disturbing the others.
const logger = silentLogger();
let dataDir: TempDir;
let postgres: ReturnType<typeof postgresServer>;
let stack: TestStack;

before(async () => {
  dataDir = await createTempDir("kino-outage-");
  await chmod(dataDir.path, 0o755);
  postgres = postgresServer({ port: await findFreePort(), durable: false });
  await ensureDaemon(postgres, { dataDir: dataDir.path, logger });
  stack = await startTestStack(postgres.url);
});
after(async () => {
  await stack?.close();
  await stopDaemon(postgres, { dataDir: dataDir.path, logger });
  await dataDir.remove();
});

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("a stopped PostgreSQL fails /healthz and RPCs with Unavailable; both recover when it is back", async () => {
  const client = createClient(CatalogService, createConnectTransport({ baseUrl: stack.baseUrl, httpVersion: "1.1" }));
  const auth = { headers: { authorization: `Bearer ${aliceKey}` } };
  const { video } = await client.createVideo({ title: "survives the outage" }, auth);

  await stopDaemon(postgres, { dataDir: dataDir.path, logger });
  await eventually(async () => (await fetch(`${stack.baseUrl}/healthz`)).status === 503, "/healthz reports the outage");
  const report = (await (await fetch(`${stack.baseUrl}/healthz`)).json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
  assert.deepEqual(report.checks.catalog?.ok, false);
  await assert.rejects(client.getVideo({ id: video!.id }, auth), (error: unknown) => {
    const connectError = ConnectError.from(error);
    assert.equal(connectError.code, Code.Unavailable, connectError.rawMessage);
    assert.match(connectError.rawMessage, /database is unavailable/);
    return true;
  });

  await ensureDaemon(postgres, { dataDir: dataDir.path, logger });
  await eventually(async () => (await fetch(`${stack.baseUrl}/healthz`)).status === 200, "/healthz recovers");
  const again = await client.getVideo({ id: video!.id }, auth);
  assert.equal(again.video?.title, "survives the outage", "the data written before the outage is intact");
  const created = await client.createVideo({ title: "after the outage" }, auth);
  assert.ok(created.video?.id);
});
