import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { after, before, test } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { ensureDevSecret } from "../src/dev-secrets.ts";

let dir: TempDir;

before(async () => {
  dir = await createTempDir("kino-secret-");
});

after(() => dir.remove());

test("a dev secret is made once, readable by its owner only, and kept across runs", async () => {
  const first = await ensureDevSecret(dir.path, "upload-secret");
  assert.match(first.value, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal((await stat(first.file)).mode & 0o777, 0o600);
  const second = await ensureDevSecret(dir.path, "upload-secret");
  assert.deepEqual(second, first);
});

test("separate data dirs and names get different secrets", async () => {
  const other = await createTempDir("kino-secret-");
  try {
    assert.notEqual((await ensureDevSecret(other.path, "upload-secret")).value, (await ensureDevSecret(dir.path, "upload-secret")).value);
    assert.notEqual((await ensureDevSecret(dir.path, "playback-token-secret")).value, (await ensureDevSecret(dir.path, "upload-secret")).value);
  } finally {
    await other.remove();
  }
});
