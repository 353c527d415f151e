import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "@kino/platform";
import { uploadConfigSchema } from "../src/upload/index.ts";

const secret = "s".repeat(32);

test("upload settings default to 20 GiB files, 24 h URLs and a single host", () => {
  const config = parseConfig(uploadConfigSchema, { KINO_UPLOAD_SECRET: secret });
  assert.equal(config.uploadMaxBytes, 20 * 1024 ** 3);
  assert.equal(config.uploadUrlTtlMs, 24 * 3600_000);
  assert.equal(config.uploadHostId, "local");
  assert.equal(config.uploadPeers.size, 0);
});

test("peers and the public URL are read into their shapes", () => {
  const config = parseConfig(uploadConfigSchema, {
    KINO_UPLOAD_SECRET: secret,
    KINO_PUBLIC_BASE_URL: "https://api.example.com/",
    KINO_UPLOAD_HOST_ID: "gw1",
    KINO_UPLOAD_PEERS: "gw2=http://10.0.0.2:8080/, gw3=https://gw3.internal",
  });
  assert.equal(config.publicBaseUrl, "https://api.example.com");
  assert.deepEqual([...config.uploadPeers], [
    ["gw2", "http://10.0.0.2:8080"],
    ["gw3", "https://gw3.internal"],
  ]);
});

test("a missing or short secret and a malformed peer are refused without echoing the secret", () => {
  assert.throws(() => parseConfig(uploadConfigSchema, {}), /KINO_UPLOAD_SECRET: is required/);
  assert.throws(
    () => parseConfig(uploadConfigSchema, { KINO_UPLOAD_SECRET: "hunter2" }),
    (error: Error) => /at least 32 bytes/.test(error.message) && !error.message.includes("hunter2"),
  );
  assert.throws(() => parseConfig(uploadConfigSchema, { KINO_UPLOAD_SECRET: secret, KINO_UPLOAD_PEERS: "gw2" }), /KINO_UPLOAD_PEERS/);
  assert.throws(() => parseConfig(uploadConfigSchema, { KINO_UPLOAD_SECRET: secret, KINO_UPLOAD_HOST_ID: "gw.1" }), /KINO_UPLOAD_HOST_ID/);
});
