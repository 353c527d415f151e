import type { Logger } from "@kino/platform";
import { CatalogService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { HealthImplementation } from "grpc-health-check";
import type { VideoRepository } from "./video-repository.ts";

/**
 * Keeps the standard gRPC health status in step with PostgreSQL, so a
 * gateway or load balancer asking grpc.health.v1 learns the catalog cannot
 * serve while its database is down. Returns a function that stops probing.
 */
export function probeDatabaseHealth(
  videos: VideoRepository,
  health: HealthImplementation,
  logger: Logger,
  intervalMs = 1000,
): () => void {
  let serving = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async () => {
    let ok = true;
    try {
      await videos.ping();
    } catch {
      ok = false;
    }
    if (stopped) return;
    if (ok !== serving) {
      serving = ok;
      const status = ok ? "SERVING" : "NOT_SERVING";
      health.setStatus("", status);
      health.setStatus(CatalogService.typeName, status);
      health.setStatus(VideoLifecycleService.typeName, status);
      if (ok) logger.info("database reachable again");
      else logger.warn("database unreachable: reporting NOT_SERVING");
    }
    timer = setTimeout(probe, intervalMs);
  };
  timer = setTimeout(probe, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
