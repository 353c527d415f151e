import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfig } from "@kino/platform";
import { authConfigSchema } from "../src/config.ts";

test("defaults parse: a database of its own and the auth port", () => {
  const config = parseConfig(authConfigSchema, {});
  assert.match(config.databaseUrl, /\/kino_auth$/);
  assert.equal(config.listen, "127.0.0.1:50053");
  assert.equal(config.argon2MemoryKib, 19_456);
});

test("a bad setting names its variable", () => {
  for (const [env, value] of [
    ["KINO_SMTP_URL", "http://mail.example.com"],
    ["KINO_AUTH_DATABASE_URL", "mysql://x"],
    ["KINO_AUTH_ARGON2_MEMORY_KIB", "1024"],
    ["KINO_AUTH_REFRESH_TOKEN_DAYS", "0"],
    ["KINO_AUTH_SIGNING_KEY_SECRET", "too short"],
  ] as const) {
    assert.throws(() => parseConfig(authConfigSchema, { [env]: value }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(env));
      return true;
    });
  }
});
