import type { Logger } from "@kino/platform";
import type { LaunchPlan } from "./spawn-detached.ts";

/** A port a daemon listens on, and the variable that moves it when something else holds it. */
export interface PortClaim {
  port: number;
  variable?: string;
}

/** Enough to find and stop a daemon from its pid file. */
export interface DaemonIdentity {
  name: string;
  /** Matched against the process command line, so a recycled pid is never taken for ours. */
  executable: string;
  /** Postgres shuts down fast on SIGINT but waits for clients on SIGTERM. */
  stopSignal?: NodeJS.Signals;
  stopGraceMs?: number;
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
  /** Prepares on-disk state and says what to run; called only when the daemon must be started. */
  launch(context: LaunchContext): Promise<LaunchPlan>;
  /** Idempotent setup once it answers (e.g. create a database). */
  afterReady?(): Promise<void>;
}
