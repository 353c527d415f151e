import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { after, before, test } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { ensureDevApiKey } from "../src/dev-api-key.ts";

let dir: TempDir;

before(async () => {
  dir = await createTempDir("kino-key-");
});

after(() => dir.remove());

test("the dev API key is made once, readable by its owner only, and kept across runs", async () => {
  const first = await ensureDevApiKey(dir.path);
  assert.match(first.apiKeys, /^dev:[A-Za-z0-9_-]{40,}$/);
  assert.equal((await stat(first.file)).mode & 0o777, 0o600);
  const second = await ensureDevApiKey(dir.path);
  assert.deepEqual(second, first);
});

test("separate data dirs get different keys", async () => {
  const other = await createTempDir("kino-key-");
  try {
    assert.notEqual((await ensureDevApiKey(other.path)).apiKeys, (await ensureDevApiKey(dir.path)).apiKeys);
  } finally {
    await other.remove();
  }
});
