import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig } from "@kino/platform";
import { transcoderConfigSchema } from "../src/index.ts";
import { finishGraceMs } from "../src/shutdown-budget.ts";

const identityFile = testServiceCredentials().files().identityFile("transcoder");

test("defaults describe a local transcoder host", () => {
  const config = parseConfig(transcoderConfigSchema, { KINO_SERVICE_IDENTITY_FILE: identityFile });
  assert.equal(config.natsUrl, "nats://127.0.0.1:42220");
  assert.equal(config.catalogUrl, "127.0.0.1:50051");
  assert.equal(config.opsListen, "127.0.0.1:9402");
  assert.equal(config.maxAttempts, 3);
  assert.equal(config.ackWaitMs, 60_000);
  assert.equal(config.retryBackoffMs, 5000);
  assert.equal(config.preset, "veryfast");
  assert.equal(config.shutdownTimeoutMs, 60_000);
  assert.equal(config.storageDriver, "local");
});

test("running jobs get most of the shutdown timeout, with time kept back to hand the rest back", () => {
  assert.equal(finishGraceMs(60_000), 50_000);
  assert.equal(finishGraceMs(8000), 6000);
  assert.equal(finishGraceMs(2000), 1000);
});

test("a bad setting stops the process with one line naming the variable", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../src/main.ts", import.meta.url))], {
    env: { ...process.env, KINO_SERVICE_IDENTITY_FILE: identityFile, KINO_TRANSCODE_MAX_ATTEMPTS: "three" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(code, 2);
  assert.equal(stderr, 'invalid configuration: KINO_TRANSCODE_MAX_ATTEMPTS: expected an integer, got "three"\n');
});
