import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { runHealthChecks, type HealthCheck } from "./health.ts";

export interface OpsRoutesOptions {
  health: Record<string, HealthCheck>;
  registry: Registry;
  /** What /metrics answers instead of `registry` alone (a worker of several answers their sum). */
  metricsText?: () => Promise<string>;
}

/**
 * Handles `/healthz` and `/metrics`; returns false for any other path so a
 * server can route the request elsewhere.
 */
export function createOpsHandler(options: OpsRoutesOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/healthz") {
      const report = await runHealthChecks(options.health);
      res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(report));
      return true;
    }
    if (path === "/metrics") {
      const body = await (options.metricsText ?? (() => options.registry.metrics()))();
      res.writeHead(200, { "content-type": options.registry.contentType });
      res.end(body);
      return true;
    }
    return false;
  };
}
