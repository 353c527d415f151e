import type { HealthClient } from "@kino/grpc";
import type { HealthCheck } from "@kino/platform";
import { VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { Storage } from "@kino/storage";
import type { NatsConnection } from "nats";

export interface TranscoderHealthDeps {
  nats: NatsConnection;
  catalogHealth: HealthClient;
  storage: Storage;
}

/** /healthz: everything a job needs from outside this host. */
export function transcoderHealthChecks(deps: TranscoderHealthDeps): Record<string, HealthCheck> {
  return {
    nats: async () => {
      if (deps.nats.isClosed()) throw new Error("connection closed");
      await deps.nats.flush();
    },
    catalog: () => deps.catalogHealth.check(VideoLifecycleService.typeName),
    storage: () => deps.storage.ping(),
  };
}
