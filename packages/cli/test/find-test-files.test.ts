import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { findTestFiles } from "../src/test-pipeline/find-test-files.ts";

let root: TempDir;

const files = [
  "packages/stack/test/daemon.test.ts",
  "packages/stack/test/helpers/fixture.ts",
  "packages/stack/src/ports.test.ts",
  "packages/stack/node_modules/dep/test/dep.test.ts",
  "services/catalog/test/videos.test.ts",
  "gateway/test/http/origin.test.ts",
  "gateway/bench/origin.test.ts",
  "transcoder/test/ladder.test.ts",
  "analytics-collector/test/beacons.test.ts",
  "docs/test/not-code.test.ts",
];

before(async () => {
  root = await createTempDir("kino-find-");
  for (const file of files) {
    await mkdir(dirname(join(root.path, file)), { recursive: true });
    await writeFile(join(root.path, file), "");
  }
});

after(() => root.remove());

test("finds test files under test/ and src/ of every code folder, sorted, never in node_modules", async () => {
  assert.deepEqual(await findTestFiles(root.path), [
    "analytics-collector/test/beacons.test.ts",
    "gateway/test/http/origin.test.ts",
    "packages/stack/src/ports.test.ts",
    "packages/stack/test/daemon.test.ts",
    "services/catalog/test/videos.test.ts",
    "transcoder/test/ladder.test.ts",
  ]);
});

test("--only keeps the paths containing the substring", async () => {
  assert.deepEqual(await findTestFiles(root.path, "packages/stack"), ["packages/stack/src/ports.test.ts", "packages/stack/test/daemon.test.ts"]);
  assert.deepEqual(await findTestFiles(root.path, "nowhere"), []);
});
