import type { Logger } from "@kino/platform";
import type { HealthImplementation } from "grpc-health-check";

export interface FollowDependencyOptions {
  health: HealthImplementation;
  /** Service names whose status follows the dependency; "" (the whole server) is always included. */
  services: string[];
  /** The dependency, for log lines, e.g. "PostgreSQL". */
  dependency: string;
  /** Resolves while the dependency answers. */
  check(): Promise<unknown>;
  logger: Logger;
  intervalMs?: number;
}

/**
 * Keeps the standard gRPC health status in step with a dependency the
 * service cannot answer without, so a gateway or load balancer asking
 * grpc.health.v1 learns it is NOT_SERVING while the dependency is down.
 * Returns a function that stops following.
 */
export function followDependencyHealth(options: FollowDependencyOptions): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  let serving = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async () => {
    const ok = await options.check().then(
      () => true,
      () => false,
    );
    if (stopped) return;
    if (ok !== serving) {
      serving = ok;
      const status = ok ? "SERVING" : "NOT_SERVING";
      for (const service of ["", ...options.services]) options.health.setStatus(service, status);
      if (ok) options.logger.info(`${options.dependency} reachable again`);
      else options.logger.warn(`${options.dependency} unreachable: reporting NOT_SERVING`);
    }
    timer = setTimeout(probe, intervalMs);
  };
  timer = setTimeout(probe, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
