import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import type { TempDir } from "@kino/testkit";
import { spawnDetached } from "../src/daemon/spawn-detached.ts";
import { readSupervisorState } from "../src/daemon/supervisor-state.ts";
import {
  daemonStatus,
  ensureDaemon,
  findFreePort,
  httpOk,
  restartDelayMs,
  stackLayout,
  stopDaemon,
  type DaemonSpec,
  type DaemonStatus,
  type RestartPolicy,
} from "../src/index.ts";
import { pidExists, pidsWithCommandLine } from "./process-assertions.ts";
import { createStackDir, logger } from "./stack-fixture.ts";

const fixture = fileURLToPath(new URL("./fixtures/http-child.ts", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");

interface FixtureDaemon {
  spec: DaemonSpec;
  /** While it exists, every start of the child exits with code 3. */
  crashFile: string;
  /** Matches the command line of this daemon's child only. */
  childCommand: string;
  /** Matches the command line of this daemon's supervisor only. */
  supervisorCommand: string;
}

async function fixtureDaemon(dir: string, restart: RestartPolicy): Promise<FixtureDaemon> {
  const name = `fixture-${randomBytes(4).toString("hex")}`;
  const port = await findFreePort();
  const crashFile = join(dir, `${name}.crash`);
  const spec: DaemonSpec = {
    name,
    executable: fixture,
    ports: [{ port }],
    readyTimeoutMs: 15_000,
    stopGraceMs: 2_000,
    restart,
    probe: async () => {
      await httpOk(`http://127.0.0.1:${port}/`);
    },
    launch: async () => ({
      command: process.execPath,
      args: ["--import", tsxLoader, fixture, name],
      env: { ...process.env, KINO_FIXTURE_PORT: String(port), KINO_FIXTURE_CRASH_FILE: crashFile },
    }),
  };
  return { spec, crashFile, childCommand: `${fixture} ${name}`, supervisorCommand: `supervisor-main.ts ${name}` };
}

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The status once a process other than `oldPid` runs and answers. */
function restartedStatus(daemon: FixtureDaemon, dataDir: string, oldPid: number): Promise<DaemonStatus> {
  return waitFor(`${daemon.spec.name} to run again`, async () => {
    const status = await daemonStatus(daemon.spec, dataDir);
    return status.healthy && status.pid !== oldPid ? status : undefined;
  });
}

const quick: RestartPolicy = { initialDelayMs: 200, maxDelayMs: 800, resetAfterMs: 60_000 };

describe("supervised daemons", () => {
  let dir: TempDir;
  const started: FixtureDaemon[] = [];
  const daemon = async (restart: RestartPolicy = quick) => {
    const made = await fixtureDaemon(dir.path, restart);
    started.push(made);
    return made;
  };

  before(async () => {
    dir = await createStackDir();
  });
  after(async () => {
    for (const { spec } of started) await stopDaemon(spec, { dataDir: dir.path, logger });
    await dir.remove();
  });

  test("restartDelayMs doubles from the initial delay up to the cap", () => {
    const policy: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 100_000].map((n) => restartDelayMs(policy, n)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  test("a child killed with SIGKILL comes back with a new pid within the backoff, and status says so", async () => {
    const fixtureDaemonUnderTest = await daemon({ initialDelayMs: 500, maxDelayMs: 4_000, resetAfterMs: 60_000 });
    const first = await ensureDaemon(fixtureDaemonUnderTest.spec, { dataDir: dir.path, logger });
    assert.ok(pidExists(first.supervisorPid), "the supervisor runs");
    const before = await daemonStatus(fixtureDaemonUnderTest.spec, dir.path);
    assert.equal(before.restarts, 0);
    assert.equal(before.supervisorPid, first.supervisorPid);

    const killedAt = Date.now();
    process.kill(first.pid, "SIGKILL");
    const after = await restartedStatus(fixtureDaemonUnderTest, dir.path, first.pid);
    // The 500 ms backoff, plus starting node and the fixture on a busy machine.
    assert.ok(Date.now() - killedAt < 10_000, `back after ${Date.now() - killedAt} ms`);
    assert.ok(Date.now() - killedAt >= 500, "not before the backoff");
    assert.equal(pidExists(first.pid), false);
    assert.equal(after.restarts, 1);
    assert.equal(after.lastExit?.signal, "SIGKILL");
    assert.equal(after.lastExit?.description, "killed by SIGKILL");
    assert.ok(Math.abs(Date.parse(after.lastExit!.at) - killedAt) < 2_000, "the exit time is when it was killed");
    assert.equal(after.supervisorPid, first.supervisorPid, "the same supervisor restarted it");

    const log = await readFile(stackLayout(dir.path).logFile(fixtureDaemonUnderTest.spec.name), "utf8");
    assert.match(log, new RegExp(`supervisor: ${fixtureDaemonUnderTest.spec.name} \\(pid ${first.pid}\\) killed by SIGKILL after [0-9.]+ s; restart 1 in 0\\.5 s`));
  });

  test("the wait doubles per crash in a row up to the cap, and starts over once the process stayed up", async () => {
    const crashing = await daemon({ initialDelayMs: 200, maxDelayMs: 800, resetAfterMs: 2_000 });
    const running = await ensureDaemon(crashing.spec, { dataDir: dir.path, logger });
    const logFile = stackLayout(dir.path).logFile(crashing.spec.name);
    await writeFile(crashing.crashFile, "");
    process.kill(running.pid, "SIGKILL");
    const waits = () => readFile(logFile, "utf8").then((log) => [...log.matchAll(/restart (\d+) in ([0-9.]+) s/g)].map((m) => Number(m[2])));
    await waitFor("four restarts", async () => ((await waits()).length >= 5 ? true : undefined));
    assert.deepEqual((await waits()).slice(0, 5), [0.2, 0.4, 0.8, 0.8, 0.8]);
    const crashed = await daemonStatus(crashing.spec, dir.path);
    assert.ok(crashed.restarts >= 4);
    assert.equal(crashed.lastExit?.code, 3);
    assert.equal(crashed.lastExit?.description, "exited with code 3");

    await rm(crashing.crashFile);
    const healed = await restartedStatus(crashing, dir.path, running.pid);
    await sleep(2_500); // longer than resetAfterMs
    const count = (await waits()).length;
    process.kill(healed.pid!, "SIGKILL");
    await restartedStatus(crashing, dir.path, healed.pid!);
    assert.equal((await waits())[count], 0.2, "a process that stayed up long enough is restarted after the initial delay");
  });

  test("stop ends the child and the supervisor, leaves nothing running, and nothing restarts", async () => {
    const stopped = await daemon();
    const running = await ensureDaemon(stopped.spec, { dataDir: dir.path, logger });
    assert.equal(await stopDaemon(stopped.spec, { dataDir: dir.path, logger }), true);
    assert.equal(pidExists(running.pid), false, "the child is gone");
    assert.equal(pidExists(running.supervisorPid), false, "the supervisor is gone");
    await sleep(quick.initialDelayMs * 3);
    assert.deepEqual(pidsWithCommandLine(stopped.childCommand), [], "no child was started again");
    assert.deepEqual(pidsWithCommandLine(stopped.supervisorCommand), []);
    const layout = stackLayout(dir.path);
    for (const file of [layout.pidFile, layout.supervisorPidFile, layout.stateFile]) assert.equal(existsSync(file(stopped.spec.name)), false);
    assert.equal(await stopDaemon(stopped.spec, { dataDir: dir.path, logger }), false, "a second stop finds nothing");
  });

  test("stop during a wait between restarts ends the supervisor before it starts anything", async () => {
    const waiting = await daemon({ initialDelayMs: 5_000, maxDelayMs: 5_000, resetAfterMs: 60_000 });
    const running = await ensureDaemon(waiting.spec, { dataDir: dir.path, logger });
    process.kill(running.pid, "SIGKILL");
    await waitFor("the wait", async () => ((await daemonStatus(waiting.spec, dir.path)).nextStartAt ? true : undefined));
    const stopping = Date.now();
    assert.equal(await stopDaemon(waiting.spec, { dataDir: dir.path, logger }), true);
    assert.ok(Date.now() - stopping < 3_000, "did not sit out the wait");
    await sleep(5_500);
    assert.deepEqual(pidsWithCommandLine(waiting.childCommand), []);
    assert.deepEqual(pidsWithCommandLine(waiting.supervisorCommand), []);
  });

  test("a second ensure keeps the supervisor and its child: no second supervisor", async () => {
    const twice = await daemon();
    const first = await ensureDaemon(twice.spec, { dataDir: dir.path, logger });
    const second = await ensureDaemon(twice.spec, { dataDir: dir.path, logger });
    assert.equal(second.reused, true);
    assert.equal(second.supervisorPid, first.supervisorPid);
    assert.equal(second.pid, first.pid);
    assert.deepEqual(pidsWithCommandLine(twice.supervisorCommand), [first.supervisorPid]);
    assert.deepEqual(pidsWithCommandLine(twice.childCommand), [first.pid]);
  });

  test("an ensure during a long wait between restarts starts the process at once", async () => {
    const slow = await daemon({ initialDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 60_000 });
    const first = await ensureDaemon(slow.spec, { dataDir: dir.path, logger });
    process.kill(first.pid, "SIGKILL");
    await waitFor("the wait", async () => ((await daemonStatus(slow.spec, dir.path)).nextStartAt ? true : undefined));
    const again = await ensureDaemon(slow.spec, { dataDir: dir.path, logger });
    assert.notEqual(again.pid, first.pid);
    assert.equal(again.supervisorPid, first.supervisorPid);
  });

  test("a daemon found running without a supervisor is taken over without a restart, then restarted when killed", async () => {
    const legacy = await daemon();
    const layout = stackLayout(dir.path);
    // What `kino up` did before supervision: the daemon alone, its pid in the pid file.
    const plan = await legacy.spec.launch({ dataDir: dir.path, logger });
    const child = await spawnDetached(plan, layout.logFile(legacy.spec.name));
    child.unref();
    await writeFile(layout.pidFile(legacy.spec.name), `${child.pid}\n`);
    await waitFor("the unsupervised child", () => legacy.spec.probe().then(() => true, () => undefined));

    const adopted = await ensureDaemon(legacy.spec, { dataDir: dir.path, logger });
    assert.equal(adopted.pid, child.pid, "kept, not restarted");
    assert.equal(adopted.reused, true);
    process.kill(child.pid, "SIGKILL");
    const after = await restartedStatus(legacy, dir.path, child.pid);
    assert.equal(after.restarts, 1);
    assert.match(after.lastExit?.description ?? "", /how is unknown/);
  });

  test("a daemon whose supervisor was killed gets a new one from ensure, without a restart", async () => {
    const orphaned = await daemon();
    const first = await ensureDaemon(orphaned.spec, { dataDir: dir.path, logger });
    process.kill(first.supervisorPid, "SIGKILL");
    await waitFor("the supervisor to die", async () => (pidExists(first.supervisorPid) ? undefined : true));
    const second = await ensureDaemon(orphaned.spec, { dataDir: dir.path, logger });
    assert.equal(second.pid, first.pid, "kept, not restarted");
    assert.notEqual(second.supervisorPid, first.supervisorPid);
    const state = readSupervisorState(stackLayout(dir.path).stateFile(orphaned.spec.name));
    assert.equal(state?.supervisorPid, second.supervisorPid, "once ensure returns, the new supervisor watches it");
    process.kill(first.pid, "SIGKILL");
    const after = await restartedStatus(orphaned, dir.path, first.pid);
    assert.equal(after.supervisorPid, second.supervisorPid);
    assert.equal(after.restarts, 1);
    assert.deepEqual(pidsWithCommandLine(orphaned.supervisorCommand), [second.supervisorPid]);
  });

  test("a supervisor whose data dir was removed starts nothing more and exits", async () => {
    const gone = await createStackDir();
    const lost = await fixtureDaemon(gone.path, quick);
    const running = await ensureDaemon(lost.spec, { dataDir: gone.path, logger });
    await gone.remove();
    process.kill(running.pid, "SIGKILL");
    await waitFor("the supervisor to exit", async () => (pidExists(running.supervisorPid) ? undefined : true));
    assert.deepEqual(pidsWithCommandLine(lost.childCommand), []);
  });

  test("a child whose supervisor was killed with SIGKILL is still stopped by stop", async () => {
    const orphaned = await daemon();
    const running = await ensureDaemon(orphaned.spec, { dataDir: dir.path, logger });
    process.kill(running.supervisorPid, "SIGKILL");
    await waitFor("the supervisor to die", async () => (pidExists(running.supervisorPid) ? undefined : true));
    assert.ok(pidExists(running.pid), "the child outlives its supervisor");
    const status = await daemonStatus(orphaned.spec, dir.path);
    assert.equal(status.supervisorPid, undefined, "status tells it runs unsupervised");
    assert.equal(await stopDaemon(orphaned.spec, { dataDir: dir.path, logger }), true);
    assert.equal(pidExists(running.pid), false);
    assert.deepEqual(pidsWithCommandLine(orphaned.childCommand), []);
  });
});
