import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { testServiceCredentials } from "@kino/grpc/testing";
import { ConfigError, parseConfig } from "@kino/platform";
import { retryDelayMs } from "../src/backoff.ts";
import { notifyConfigSchema } from "../src/config.ts";

const files = testServiceCredentials().files();
const base = { KINO_TRUSTED_SERVICES_FILE: files.trustFile, KINO_SERVICE_IDENTITY_FILE: files.identityFile("notify") };

test("defaults: a database of its own, 24-hour retry and disable windows, private webhooks refused", () => {
  const config = parseConfig(notifyConfigSchema, base);
  assert.match(config.databaseUrl, /\/kino_notify$/);
  assert.equal(config.listen, "127.0.0.1:50055");
  assert.equal(config.retryWindowMs, 86_400_000);
  assert.equal(config.disableAfterMs, 86_400_000);
  assert.equal(config.webhookTimeoutMs, 10_000);
  assert.equal(config.allowPrivateWebhooks, false);
  assert.equal(config.identity.principal, "notify");
});

test("a bad setting names its variable", () => {
  for (const [env, value] of [
    ["KINO_NOTIFY_DATABASE_URL", "mysql://x"],
    ["KINO_SMTP_URL", "http://mail.example.com"],
    ["KINO_NOTIFY_WEBHOOK_TIMEOUT_MS", "60000"],
    ["KINO_NOTIFY_RETRY_BASE_MS", "soon"],
    ["KINO_NOTIFY_ALLOW_PRIVATE_WEBHOOKS", "maybe"],
    ["KINO_SERVICE_IDENTITY_FILE", ""],
  ] as const) {
    assert.throws(() => parseConfig(notifyConfigSchema, { ...base, [env]: value }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(env));
      return true;
    });
  }
});

test("main stops with exit code 2 and one line naming the variable", () => {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const run = spawnSync(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, ...base, KINO_NOTIFY_RETRY_WINDOW_MS: "-5" },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr.trim(), /^invalid configuration: KINO_NOTIFY_RETRY_WINDOW_MS: must be at least 100, got -5$/);
});

test("backoff doubles from the base up to the cap, with jitter in [0.5, 1)", () => {
  const settings = { baseMs: 1000, maxDelayMs: 5000, windowMs: 60_000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(settings, n, () => 0)), [500, 1000, 2000, 2500, 2500]);
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(settings, n, () => 0.999999)), [1000, 2000, 4000, 5000]);
});
