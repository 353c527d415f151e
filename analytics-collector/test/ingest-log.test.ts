import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, KinoError } from "@kino/platform";
import { createIngestLog } from "../src/server/ingest-log.ts";

function capturedLogger() {
  const lines: { level: number; msg: string; refusedSinceLastLine?: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ name: "ingest-log-test", destination }), lines };
}

test("an outage's refusals make one line per interval, each saying how many went unlogged", async () => {
  const { logger, lines } = capturedLogger();
  let now = 1_000_000;
  const log = createIngestLog(logger, { refusedEveryMs: 10_000, now: () => now });
  const full = new KinoError("resource_exhausted", "event buffer is full");
  for (let i = 0; i < 5000; i++) {
    log.refused(full);
    now += 3; // 5,000 refusals over 15 s
  }
  log.failed(new Error("a bug"));
  log.failed(new Error("another bug"));
  await new Promise((resolve) => setImmediate(resolve));

  const refusals = lines.filter((l) => l.msg.startsWith("beacon batch refused"));
  assert.deepEqual(
    refusals.map((l) => l.refusedSinceLastLine),
    [0, 3333],
  );
  assert.equal(lines.filter((l) => l.msg === "beacon batch failed").length, 2, "unexpected failures are logged every time");
});
