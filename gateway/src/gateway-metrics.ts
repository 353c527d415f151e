import { Counter, Histogram, type Registry } from "prom-client";

export interface GatewayMetrics {
  observe(route: string, status: number, seconds: number): void;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const requests = new Counter({
    name: "kino_gateway_requests_total",
    help: "HTTP requests answered by the gateway",
    labelNames: ["route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "kino_gateway_request_duration_seconds",
    help: "Time to answer, by route",
    labelNames: ["route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      duration.observe({ route }, seconds);
    },
  };
}
