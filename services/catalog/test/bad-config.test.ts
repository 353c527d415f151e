import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { testServiceCredentials } from "@kino/grpc/testing";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));

function start(env: Record<string, string>) {
  const trust = { KINO_TRUSTED_SERVICES_FILE: testServiceCredentials().files().trustFile };
  return spawnSync(process.execPath, ["--import", "tsx", main], { env: { ...process.env, ...trust, ...env }, encoding: "utf8", timeout: 20_000 });
}

test("a bad config value stops the process with one line naming the variable", () => {
  const result = start({ KINO_DATABASE_URL: "notaurl" });
  assert.equal(result.status, 2);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^invalid configuration: KINO_DATABASE_URL: expected a URL/);
  assert.equal(result.stdout, "");
});

test("a credential in a bad URL is not echoed", () => {
  const result = start({ KINO_DATABASE_URL: "mysql://kino:hunter2@db/kino" });
  assert.equal(result.status, 2);
  assert.doesNotMatch(result.stderr, /hunter2/);
  assert.match(result.stderr, /KINO_DATABASE_URL: expected a postgres or postgresql URL/);
});

test("a port out of range names its variable", () => {
  const result = start({ KINO_CATALOG_LISTEN: "127.0.0.1:99999" });
  assert.equal(result.status, 2);
  assert.match(result.stderr.trim(), /^invalid configuration: KINO_CATALOG_LISTEN: expected host:port/);
});

test("a catalog without the keys of the services it answers does not start", () => {
  const result = start({ KINO_TRUSTED_SERVICES_FILE: "" });
  assert.equal(result.status, 2);
  assert.match(result.stderr.trim(), /^invalid configuration: KINO_TRUSTED_SERVICES_FILE: is required/);
  const unreadable = start({ KINO_TRUSTED_SERVICES_FILE: "/nonexistent/trusted-services.json" });
  assert.equal(unreadable.status, 2);
  assert.match(unreadable.stderr.trim(), /KINO_TRUSTED_SERVICES_FILE: cannot read \/nonexistent\/trusted-services.json/);
});
