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
  // Each label set's child, looked up once: hashing the labels on every request is a measurable share of a cached playlist.
  const counters = new Map<string, ReturnType<typeof requests.labels>>();
  const timers = new Map<string, ReturnType<typeof duration.labels>>();
  return {
    observe(route, status, seconds) {
      const key = `${route} ${status}`;
      let counter = counters.get(key);
      if (!counter) counters.set(key, (counter = requests.labels({ route, status: String(status) })));
      counter.inc();
      let timer = timers.get(route);
      if (!timer) timers.set(route, (timer = duration.labels({ route })));
      timer.observe(seconds);
    },
  };
}
