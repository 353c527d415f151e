import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig } from "@kino/platform";
import { analyticsConfigSchema } from "../src/config.ts";

const files = testServiceCredentials().files();
const keyFiles = { KINO_TRUSTED_SERVICES_FILE: files.trustFile, KINO_SERVICE_IDENTITY_FILE: files.identityFile("analytics") };
const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", main], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 20_000 });
}

test("defaults point at kino up's ports", () => {
  const config = parseConfig(analyticsConfigSchema, keyFiles);
  assert.equal(config.clickhouseUrl, "http://127.0.0.1:18123");
  assert.equal(config.clickhouseDatabase, "kino");
  assert.equal(config.catalogUrl, "127.0.0.1:50051");
  assert.equal(config.listen, "127.0.0.1:50052");
  assert.equal(config.opsListen, "127.0.0.1:9403");
});

test("a bad config value stops the process with one line naming the variable", () => {
  const result = start({ KINO_CLICKHOUSE_URL: "clickhouse://user:hunter2@db" });
  assert.equal(result.status, 2);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^invalid configuration: KINO_CLICKHOUSE_URL: expected a http or https URL/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});

test("an unreachable ClickHouse at start is a failed start, not a hang", () => {
  const result = start({
    KINO_CLICKHOUSE_URL: "http://127.0.0.1:1",
    KINO_ANALYTICS_LISTEN: "127.0.0.1:0",
    KINO_ANALYTICS_OPS_LISTEN: "127.0.0.1:0",
    KINO_LOG_LEVEL: "info",
    ...keyFiles,
  });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /analytics failed to start/);
});
