import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testServiceCredentials } from "@kino/grpc/testing";
import { ConfigError, parseConfig } from "@kino/platform";
import { authConfigSchema, authServiceConfigSchema } from "../src/config.ts";

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

describe("the running service's own settings", () => {
  const base = () => ({ KINO_TRUSTED_SERVICES_FILE: testServiceCredentials().files().trustFile });

  test("defaults: Redis of `kino up`, the documented throttles, free and pro tiers", () => {
    const config = parseConfig(authServiceConfigSchema, base());
    assert.equal(config.redisUrl, "redis://127.0.0.1:63790");
    assert.deepEqual(config.passwordFailuresPerEmail, { points: 10, windowSeconds: 60 });
    assert.deepEqual(config.signInFailuresPerAddress, { points: 30, windowSeconds: 60 });
    assert.deepEqual(config.codeMailsPerEmail, { points: 5, windowSeconds: 600 });
    assert.deepEqual(config.codeMailsPerAddress, { points: 20, windowSeconds: 600 });
    assert.deepEqual(config.tiers.free, { maxUploadBytes: 2 * 1024 ** 3, maxStorageBytes: 10 * 1024 ** 3, maxUploadsPerDay: 20 });
    assert.ok(config.tiers.pro.maxUploadBytes > config.tiers.free.maxUploadBytes);
  });

  test("KINO_AUTH_TIERS changes only the limits it names", () => {
    const { tiers } = parseConfig(authServiceConfigSchema, { ...base(), KINO_AUTH_TIERS: '{"pro":{"maxUploadsPerDay":9999}}' });
    assert.equal(tiers.pro.maxUploadsPerDay, 9999);
    assert.equal(tiers.pro.maxUploadBytes, 50 * 1024 ** 3);
    assert.equal(tiers.free.maxUploadsPerDay, 20);
    assert.deepEqual(parseConfig(authServiceConfigSchema, { ...base(), KINO_AUTH_THROTTLE_CODES_PER_EMAIL: "3/2h" }).codeMailsPerEmail, {
      points: 3,
      windowSeconds: 7200,
    });
  });

  test("a bad tier, limit, throttle or Redis URL names its variable (and the tier and limit)", () => {
    for (const [env, value, message] of [
      ["KINO_AUTH_TIERS", "{not json", /KINO_AUTH_TIERS: is not JSON/],
      ["KINO_AUTH_TIERS", "[]", /KINO_AUTH_TIERS: must be a JSON object of tiers/],
      ["KINO_AUTH_TIERS", '{"gold":{}}', /KINO_AUTH_TIERS: unknown tier "gold": the tiers are free, pro/],
      ["KINO_AUTH_TIERS", '{"free":5}', /KINO_AUTH_TIERS: tier free: must be an object of limits/],
      ["KINO_AUTH_TIERS", '{"pro":{"maxUploads":1}}', /KINO_AUTH_TIERS: tier pro: unknown limit "maxUploads"/],
      ["KINO_AUTH_TIERS", '{"pro":{"maxUploadBytes":-1}}', /KINO_AUTH_TIERS: tier pro: maxUploadBytes must be a whole number/],
      ["KINO_AUTH_TIERS", '{"free":{"maxUploadsPerDay":1.5}}', /KINO_AUTH_TIERS: tier free: maxUploadsPerDay must be a whole number from 1 to 4294967295, got 1.5/],
      ["KINO_AUTH_TIERS", '{"free":{"maxUploadBytes":"2G"}}', /tier free: maxUploadBytes must be a whole number/],
      ["KINO_AUTH_TIERS", '{"free":{"maxStorageBytes":1000}}', /KINO_AUTH_TIERS: tier free: maxUploadBytes \(2147483648\) is larger than maxStorageBytes \(1000\)/],
      ["KINO_AUTH_THROTTLE_PASSWORD_PER_EMAIL", "ten a minute", /KINO_AUTH_THROTTLE_PASSWORD_PER_EMAIL: expected <count>\/<window>/],
      ["KINO_AUTH_THROTTLE_SIGN_IN_PER_ADDRESS", "0/1m", /KINO_AUTH_THROTTLE_SIGN_IN_PER_ADDRESS: the count must be at least 1/],
      ["KINO_AUTH_THROTTLE_CODES_PER_ADDRESS", "5/25h", /KINO_AUTH_THROTTLE_CODES_PER_ADDRESS: the window must be 1 s to 24 h/],
      ["KINO_AUTH_THROTTLE_CODES_PER_EMAIL", "5/0s", /KINO_AUTH_THROTTLE_CODES_PER_EMAIL: the window must be/],
      ["KINO_AUTH_REDIS_URL", "http://cache:6379", /KINO_AUTH_REDIS_URL: expected a redis or rediss URL/],
    ] as const) {
      assert.throws(() => parseConfig(authServiceConfigSchema, { ...base(), [env]: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, message);
        return true;
      });
    }
  });
});
