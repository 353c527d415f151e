import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The collector's Prometheus metrics, registered on the process registry; gauges read their sources on scrape. */
export function createCollectorMetrics(registry: Registry, sources: { pendingBytes(): number }) {
  return {
    batches: new Counter({
      name: "kino_collector_batches_total",
      help: "Beacon batches answered, by transport and HTTP status",
      labelNames: ["transport", "status"] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: "kino_collector_events_total",
      help: "Events received, by result (accepted, rejected)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    bufferPublished: new Counter({
      name: "kino_collector_buffer_published_events_total",
      help: "Events acknowledged by the JetStream buffer",
      registers: [registry],
    }),
    bufferMessages: new Counter({
      name: "kino_collector_buffer_messages_total",
      help: "Group-committed messages acknowledged by the JetStream buffer",
      registers: [registry],
    }),
    pendingBytes: new Gauge({
      name: "kino_collector_buffer_pending_bytes",
      help: "Accepted event bytes awaiting the buffer's acknowledgement",
      registers: [registry],
      collect() {
        this.set(sources.pendingBytes());
      },
    }),
    sinkInserted: new Counter({
      name: "kino_collector_sink_inserted_events_total",
      help: "Events inserted into ClickHouse",
      registers: [registry],
    }),
    sinkInsertFailures: new Counter({
      name: "kino_collector_sink_insert_failures_total",
      help: "Failed ClickHouse inserts (retried)",
      registers: [registry],
    }),
    sinkCheckedInserts: new Counter({
      name: "kino_collector_sink_checked_inserts_total",
      help: "Inserts that first looked up which rows were already stored, after a retry or a redelivery",
      registers: [registry],
    }),
    sinkParked: new Counter({
      name: "kino_collector_sink_parked_messages_total",
      help: "Buffered messages ClickHouse refused as data; kept in the stream and retried later",
      registers: [registry],
    }),
    sinkInsertSeconds: new Histogram({
      name: "kino_collector_sink_insert_seconds",
      help: "Duration of ClickHouse inserts",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
