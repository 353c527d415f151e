import type { HttpResponse } from "@trufflesuite/uws-js-unofficial";
import type { Registry } from "prom-client";
import { jsonReply, send } from "./responses.ts";

export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

/** GET /healthz and GET /metrics on the collector's own uWS port. */
export function opsHandlers(options: { health: () => Promise<HealthReport>; registry: Registry }) {
  const later = (res: HttpResponse, produce: () => Promise<{ status: number; headers: [string, string][]; body: string }>) => {
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    void produce()
      .catch((error: unknown) => ({ status: 500, headers: [["Content-Type", "text/plain"]] as [string, string][], body: String(error) }))
      .then((reply) => {
        if (!aborted) res.cork(() => send(res, reply));
      });
  };
  return {
    healthz: (res: HttpResponse) =>
      later(res, async () => {
        const report = await options.health();
        const reply = jsonReply(report.ok ? 200 : 503, report, [["Cache-Control", "no-store"]]);
        return { status: reply.status, headers: reply.headers ?? [], body: reply.body as string };
      }),
    metrics: (res: HttpResponse) =>
      later(res, async () => ({ status: 200, headers: [["Content-Type", options.registry.contentType]], body: await options.registry.metrics() })),
  };
}
