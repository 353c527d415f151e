import type { ClientDevice } from "../enrich/user-agent.ts";
import type { RequestContext } from "../ingest/event-row.ts";
import type { Ingest } from "../ingest/ingest-batch.ts";
import type { CollectorMetrics } from "../metrics.ts";
import type { CorsPolicy } from "./cors.ts";
import type { IngestLog } from "./ingest-log.ts";

/** What the routes share. */
export interface RouteDeps {
  ingest: Ingest;
  ingestLog: IngestLog;
  metrics: CollectorMetrics;
  cors: CorsPolicy;
  describeDevice(userAgent: string): ClientDevice;
  countryOf(ip: string): string;
  trustProxy: boolean;
  limits: {
    maxBodyBytes: number;
    wsMaxBackpressureBytes: number;
    /** Batches a WebSocket client may have unacknowledged at once. */
    wsMaxInFlight: number;
  };
}

/** Enrichment of one request. The IP goes into the country lookup and no further. */
export function requestContext(deps: RouteDeps, receivedAtMs: number, userAgent: string, ip: string): RequestContext {
  return {
    receivedAtMs,
    device: deps.describeDevice(userAgent),
    country: deps.countryOf(ip),
  };
}
