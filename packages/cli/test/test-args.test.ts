import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../src/command.ts";
import { parseTestArgs } from "../src/commands/test.ts";

test("kino test takes --only and --keep", () => {
  assert.deepEqual(parseTestArgs([]), { only: undefined, keep: false });
  assert.deepEqual(parseTestArgs(["--only", "packages/stack", "--keep"]), { only: "packages/stack", keep: true });
  assert.deepEqual(parseTestArgs(["--only=gateway/"]), { only: "gateway/", keep: false });
});

test("unknown options, stray words and an empty --only are usage errors", () => {
  for (const args of [["--fast"], ["gateway"], ["--only", ""], ["--only"]]) {
    assert.throws(() => parseTestArgs(args), UsageError, `args ${JSON.stringify(args)}`);
  }
});
