import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@kino/platform";
import { infraPackages, infraUrls, managedServers } from "../src/infra.ts";
import { devProfile, loadProfileConfig, testProfile } from "../src/profiles.ts";

test("the dev and test profiles use distinct ports and data dirs", () => {
  const dev = loadProfileConfig(devProfile, "/repo", {});
  const tst = loadProfileConfig(testProfile, "/repo", {});
  assert.equal(dev.dataDir, "/repo/.kino/dev");
  assert.equal(tst.dataDir, "/repo/.kino/test");
  const devPorts = new Set(Object.values(dev.ports));
  for (const port of Object.values(tst.ports)) assert.ok(!devPorts.has(port), `port ${port} is in both profiles`);
  assert.deepEqual(infraUrls(dev), {
    postgres: "postgres://kino@127.0.0.1:54329/kino",
    redis: "redis://127.0.0.1:63790",
    nats: "nats://127.0.0.1:42220",
    clickhouse: "http://127.0.0.1:18123",
  });
});

test("a port variable moves one server", () => {
  const config = loadProfileConfig(devProfile, "/repo", { KINO_DEV_REDIS_PORT: "6400" });
  assert.equal(infraUrls(config).redis, "redis://127.0.0.1:6400");
  assert.equal(infraUrls(config).nats, "nats://127.0.0.1:42220");
});

test("a bad port is a configuration error naming its variable", () => {
  assert.throws(() => loadProfileConfig(testProfile, "/repo", { KINO_TEST_NATS_PORT: "70000" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.variable, "KINO_TEST_NATS_PORT");
    return true;
  });
});

test("a server given by URL is used as is and neither started nor installed", () => {
  const config = loadProfileConfig(devProfile, "/repo", { KINO_DATABASE_URL: "postgres://app:secret@db.internal:5432/kino" });
  assert.equal(infraUrls(config).postgres, "postgres://app:secret@db.internal:5432/kino");
  assert.deepEqual(
    managedServers(config).map((s) => s.name),
    ["redis", "nats", "clickhouse"],
  );
  assert.ok(!infraPackages(config).some((p) => p.name === "postgresql"));
  assert.throws(() => loadProfileConfig(devProfile, "/repo", { KINO_REDIS_URL: "http://x" }), ConfigError);
});
