import type { Logger } from "@kino/platform";
import type { StopOptions } from "./process-control.ts";
import type { RestartPolicy } from "./restart-policy.ts";
import type { LaunchPlan } from "./spawn-detached.ts";

/** A port a daemon listens on, and the variable that moves it when something else holds it. */
export interface PortClaim {
  port: number;
  variable?: string;
}

/** Enough to find and stop a daemon from its pid files. */
export interface DaemonIdentity {
  name: string;
  /** Matched against the process command line, so a recycled pid is never taken for ours. */
  executable: string;
  /** Postgres shuts down fast on SIGINT but waits for clients on SIGTERM. */
  stopSignal?: NodeJS.Signals;
  stopGraceMs?: number;
}

/** The signal a daemon is stopped with, and how long it gets before SIGKILL. */
export function stopSettings(daemon: DaemonIdentity): StopOptions {
  return { signal: daemon.stopSignal ?? "SIGTERM", graceMs: daemon.stopGraceMs ?? 10_000 };
}

export interface LaunchContext {
  dataDir: string;
  logger: Logger;
}

export interface DaemonSpec extends DaemonIdentity {
  ports: readonly PortClaim[];
  /** Resolves when the daemon answers requests; rejects otherwise. */
  probe(): Promise<void>;
  readyTimeoutMs: number;
  /**
   * Prepares on-disk state and says what to run; called when the daemon must
   * be started, and when a supervisor takes over one already running (so it
   * must leave a running daemon undisturbed).
   */
  launch(context: LaunchContext): Promise<LaunchPlan>;
  /** Idempotent setup once it answers (e.g. create a database). */
  afterReady?(): Promise<void>;
  /** How its supervisor paces restarts; defaultRestartPolicy when absent. */
  restart?: RestartPolicy;
}
