import { collectDefaultMetrics, Registry } from "prom-client";

export { Registry } from "prom-client";

/** A registry with Node's default process metrics, labelled with the process name. */
export function createMetricsRegistry(processName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  return registry;
}
