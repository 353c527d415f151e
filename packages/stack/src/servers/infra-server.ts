import type { DaemonSpec } from "../daemon/daemon-spec.ts";

/** A server the stack runs, and the URL clients use to reach it. */
export interface InfraServer extends DaemonSpec {
  url: string;
}
