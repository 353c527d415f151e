import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { isNativeUws, loadNativeUws } from "../src/index.ts";

const require = createRequire(import.meta.url);
const mainPath = fileURLToPath(new URL("../src/main.ts", import.meta.url));

test("the native uWS binary loads on this Node", () => {
  const uws = loadNativeUws();
  assert.equal(isNativeUws(uws), true);
});

test("the pure-JS fallback is recognised and refused", () => {
  const fallbackPath = require.resolve("@trufflesuite/uws-js-unofficial").replace(/src\/uws\.js$/, "dist/index.js");
  const fallback = require(fallbackPath) as object;
  assert.equal(isNativeUws(fallback), false);
  assert.throws(() => loadNativeUws(() => fallback), { code: "failed_precondition", message: /refusing to run on its pure-JS fallback/ });
});

test("the collector process exits with a clear error instead of starting on the fallback", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", mainPath], {
    env: { ...process.env, UWS_USE_FALLBACK: "1", KINO_COLLECTOR_LISTEN: "127.0.0.1:0", KINO_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  assert.equal(code, 1);
  assert.match(output, /native binary did not load/);
  assert.doesNotMatch(output, /collector listening/);
});
