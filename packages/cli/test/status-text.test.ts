import assert from "node:assert/strict";
import { test } from "node:test";
import type { DaemonStatus } from "@kino/stack";
import { describeLastExit, describeState, formatMoment } from "../src/status-text.ts";

const now = new Date(2026, 11, 1, 23, 30, 0);
const base: DaemonStatus = { name: "transcoder", running: true, healthy: true, logFile: "/x.log", pid: 42, supervisorPid: 41, restarts: 0 };

test("the state says whether a supervisor would restart the process", () => {
  assert.equal(describeState(base, now), "healthy");
  assert.equal(describeState({ ...base, healthy: false }, now), "unhealthy");
  assert.equal(describeState({ ...base, supervisorPid: undefined }, now), "healthy, unsupervised");
  assert.equal(describeState({ ...base, running: false, pid: undefined, supervisorPid: undefined, healthy: false }, now), "stopped");
  const waiting = { ...base, running: false, healthy: false, nextStartAt: new Date(2026, 11, 1, 23, 30, 4).toISOString() };
  assert.equal(describeState(waiting, now), "restarting at 23:30:04");
  assert.equal(describeState({ ...waiting, nextStartAt: undefined }, now), "starting");
});

test("the last exit says how and when, with the date only when not today", () => {
  assert.equal(describeLastExit(base, now), "-");
  const at = new Date(2026, 11, 1, 23, 29, 58).toISOString();
  assert.equal(describeLastExit({ ...base, restarts: 1, lastExit: { description: "killed by SIGKILL", code: null, signal: "SIGKILL", at } }, now), "killed by SIGKILL at 23:29:58");
  assert.equal(formatMoment(new Date(2026, 10, 30, 8, 5, 9).toISOString(), now), "2026-11-30 08:05:09");
});
