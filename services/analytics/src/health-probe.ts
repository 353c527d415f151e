import type { AnalyticsStore } from "@kino/analytics-store";
import type { Logger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import type { HealthImplementation } from "grpc-health-check";

/**
 * Keeps the standard gRPC health status in step with ClickHouse, so the
 * gateway asking grpc.health.v1 learns analytics cannot answer while the
 * store is down. Returns a function that stops probing.
 */
export function probeStoreHealth(store: AnalyticsStore, health: HealthImplementation, logger: Logger, intervalMs = 1000): () => void {
  let serving = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async () => {
    const ok = await store.ping().then(
      () => true,
      () => false,
    );
    if (stopped) return;
    if (ok !== serving) {
      serving = ok;
      const status = ok ? "SERVING" : "NOT_SERVING";
      health.setStatus("", status);
      health.setStatus(AnalyticsService.typeName, status);
      if (ok) logger.info("ClickHouse reachable again");
      else logger.warn("ClickHouse unreachable: reporting NOT_SERVING");
    }
    timer = setTimeout(probe, intervalMs);
  };
  timer = setTimeout(probe, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
