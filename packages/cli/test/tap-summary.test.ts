import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, type TempDir } from "@kino/testkit";
import { tapSummary } from "../src/test-pipeline/tap-summary.ts";

let dir: TempDir;

before(async () => {
  dir = await createTempDir("kino-tap-");
});

after(() => dir.remove());

test("the closing counts of a real test run are read from its TAP report", async () => {
  const file = join(dir.path, "sample.test.mjs");
  await writeFile(
    file,
    `import { test } from "node:test";
test("passes", () => {});
test("passes too", () => {});
test("fails", () => { throw new Error("# pass 99 in a message must not count"); });
`,
  );
  const tapFile = join(dir.path, "report.tap");
  // Without NODE_TEST_CONTEXT the nested runner reports on its own instead of to ours.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", `--test-reporter-destination=${tapFile}`, file], { env });
  assert.equal(run.status, 1);
  const summary = tapSummary(await readFile(tapFile, "utf8"));
  assert.equal(summary[0], "# tests 3");
  assert.ok(summary.includes("# pass 2"), summary.join("\n"));
  assert.ok(summary.includes("# fail 1"), summary.join("\n"));
  assert.match(summary.at(-1)!, /^# duration_ms /);
});

test("a report without a closing block has no summary", () => {
  assert.deepEqual(tapSummary("TAP version 13\nnot ok 1 - crashed\n"), []);
});
