import { setTimeout as sleep } from "node:timers/promises";
import { readPidFile, removePidFile, writePidFile } from "./pid-file.ts";
import { isProcessRunning, stopProcessGroup } from "./process-control.ts";
import { restartDelayMs } from "./restart-policy.ts";
import { describeExit, spawnDetached } from "./spawn-detached.ts";
import type { SupervisorPlan } from "./supervisor-plan.ts";
import { removeSupervisorState, writeSupervisorState, type RecordedExit } from "./supervisor-state.ts";

type Ending = Omit<RecordedExit, "at">;

/** One run of the supervised process. */
interface Run {
  /** Absent when it could not even be spawned. */
  pid?: number;
  startedAt: number;
  ended: Promise<Ending>;
}

export interface Supervisor {
  /** Runs the process, restarting it each time it ends, until stop(); resolves once it is stopped. */
  run(): Promise<void>;
  /** Stops the process, with no restart after; safe at any moment, also before run(). */
  stop(): void;
  /** Cuts a wait between restarts short. */
  startNow(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Keeps one process running: starts it (or watches one already running),
 * and when it ends for any reason but stop(), records how, waits with
 * backoff and starts it again. Only run() touches the process, so a stop
 * can never race a restart.
 */
export function createSupervisor(plan: SupervisorPlan, log: (line: string) => void): Supervisor {
  let stopping = false;
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  let endPause: (() => void) | undefined;
  let restarts = 0;
  let lastExit: RecordedExit | undefined;

  async function launch(): Promise<Run> {
    const startedAt = Date.now();
    try {
      const child = await spawnDetached(plan.launch, plan.logFile);
      return { pid: child.pid, startedAt, ended: child.exited.then((exit) => ({ ...exit, description: describeExit(exit) })) };
    } catch (error) {
      const description = `could not be started: ${(error as Error).message}`;
      return { startedAt, ended: Promise.resolve({ code: null, signal: null, description }) };
    }
  }

  /** Not our child, so its exit status is out of reach: polled until it is gone. */
  function adopt(pid: number): Run {
    const ended = (async () => {
      while (isProcessRunning(pid, plan.executable)) await sleep(250);
      return { code: null, signal: null, description: "ended (how is unknown: it was started before its supervisor)" };
    })();
    return { pid, startedAt: Date.now(), ended };
  }

  function pause(ms: number): Promise<void> {
    if (stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => endPause?.(), ms);
      endPause = () => {
        clearTimeout(timer);
        endPause = undefined;
        resolve();
      };
    });
  }

  async function stopRun(run: Run): Promise<void> {
    if (run.pid === undefined) return;
    log(`stopping ${plan.name} (pid ${run.pid})`);
    try {
      await stopProcessGroup(run.pid, { signal: plan.stopSignal, graceMs: plan.stopGraceMs });
    } catch (error) {
      log(`could not stop ${plan.name}: ${(error as Error).message}`);
    }
    await run.ended;
  }

  /** Its data dir was removed, or another supervisor took over: restarting would start a process nobody can find or stop. */
  async function superseded(): Promise<boolean> {
    return (await readPidFile(plan.supervisorPidFile).catch(() => undefined)) !== process.pid;
  }

  /** Resolves to whether the files are still this supervisor's to clean up. */
  async function supervise(): Promise<boolean> {
    let crashesInARow = 0;
    let adoptPid = plan.adoptPid;
    while (!stopping) {
      const run = adoptPid === undefined ? await launch() : adopt(adoptPid);
      adoptPid = undefined;
      if (run.pid !== undefined) {
        await writePidFile(plan.pidFile, run.pid);
        writeSupervisorState(plan.stateFile, { supervisorPid: process.pid, pid: run.pid, startedAt: new Date(run.startedAt).toISOString(), restarts, lastExit });
      }
      const ending = await Promise.race([run.ended, stopRequested.then(() => undefined)]);
      if (ending === undefined) {
        await stopRun(run);
        return true;
      }
      await removePidFile(plan.pidFile);
      const ranMs = Date.now() - run.startedAt;
      crashesInARow = ranMs >= plan.restart.resetAfterMs ? 1 : crashesInARow + 1;
      const delayMs = restartDelayMs(plan.restart, crashesInARow);
      lastExit = { ...ending, at: new Date().toISOString() };
      writeSupervisorState(plan.stateFile, { supervisorPid: process.pid, restarts, lastExit, nextStartAt: new Date(Date.now() + delayMs).toISOString() });
      const pid = run.pid === undefined ? "" : ` (pid ${run.pid})`;
      log(`${plan.name}${pid} ${ending.description} after ${seconds(ranMs)}; restart ${restarts + 1} in ${seconds(delayMs)}`);
      await pause(delayMs);
      if (stopping) break;
      if (await superseded()) {
        log(`${plan.supervisorPidFile} no longer names this supervisor: leaving ${plan.name} stopped`);
        return false;
      }
      restarts += 1;
    }
    return true;
  }

  return {
    async run() {
      if (!(await supervise())) return;
      // Stopped: nothing runs that these files could name. (After a failure they stay, for `kino down` to find the process.)
      await removePidFile(plan.pidFile);
      removeSupervisorState(plan.stateFile);
    },
    stop() {
      stopping = true;
      requestStop();
      endPause?.();
    },
    startNow() {
      endPause?.();
    },
  };
}
