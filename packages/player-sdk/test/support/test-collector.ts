import { randomBytes } from "node:crypto";
import { createAnalyticsStore, type AnalyticsStore } from "@kino/analytics-store";
import { collectorConfigSchema, deleteEventStream, loadNativeUws, startCollector, type Collector, type CollectorConfig } from "@kino/analytics-collector";
import { parseConfig, silentLogger } from "@kino/platform";
import { requireTestEnv } from "@kino/testkit";

/** Collector settings on a database and JetStream stream of this test alone. */
export function testCollectorConfig(prefix: string, listen = "127.0.0.1:0", overrides: Record<string, string> = {}): CollectorConfig {
  const suffix = randomBytes(4).toString("hex");
  return parseConfig(collectorConfigSchema, {
    KINO_COLLECTOR_LISTEN: listen,
    KINO_NATS_URL: requireTestEnv("KINO_TEST_NATS_URL"),
    KINO_CLICKHOUSE_URL: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"),
    KINO_CLICKHOUSE_DATABASE: `kino_${prefix}_${suffix}`,
    KINO_COLLECTOR_STREAM: `KINO_${prefix.toUpperCase()}_${suffix}`,
    KINO_COLLECTOR_SUBJECT: `kino.test.${prefix}.${suffix}`,
    KINO_COLLECTOR_CONSUMER: `sink_${suffix}`,
    KINO_COLLECTOR_SINK_MAX_DELAY_MS: "100",
    KINO_LOG_LEVEL: "silent",
    ...overrides,
  });
}

/** A row of the events table, as the tests compare it with what the SDK sent. */
export interface StoredEvent {
  event_id: string;
  view_id: string;
  event_type: string;
  sequence: number;
  startup_time_ms: number;
  rebuffer_duration_ms: number;
  seek_to_ms: number;
  watch_time_ms: number;
  rendition: string;
  bitrate_bps: number;
}

export class TestCollector {
  private constructor(
    readonly config: CollectorConfig,
    private collector: Collector | undefined,
    readonly store: AnalyticsStore,
  ) {}

  /** A real collector (uWS, NATS JetStream buffer, ClickHouse sink) in this process. */
  static async start(config: CollectorConfig): Promise<TestCollector> {
    const collector = await startCollector(config, { logger: silentLogger(), uws: loadNativeUws() });
    return new TestCollector(config, collector, createAnalyticsStore({ url: config.clickhouseUrl, database: config.clickhouseDatabase }));
  }

  get url(): string {
    if (!this.collector) throw new Error("collector is stopped");
    return `http://127.0.0.1:${this.collector.port}`;
  }

  /** Every stored row (not deduplicated: a double delivery shows as two rows). */
  async events(): Promise<StoredEvent[]> {
    const result = await this.store.client
      .query({
        query: `SELECT event_id, view_id, event_type, sequence, startup_time_ms, rebuffer_duration_ms, seek_to_ms, watch_time_ms, rendition, bitrate_bps
                FROM ${this.store.database}.events ORDER BY view_id, sequence`,
        format: "JSONEachRow",
      })
      .catch(() => undefined); // the sink creates the table on its first insert
    const rows = result ? await result.json<Record<keyof StoredEvent, string>>() : [];
    return rows.map((row) => ({
      ...row,
      sequence: Number(row.sequence),
      startup_time_ms: Number(row.startup_time_ms),
      rebuffer_duration_ms: Number(row.rebuffer_duration_ms),
      seek_to_ms: Number(row.seek_to_ms),
      watch_time_ms: Number(row.watch_time_ms),
      bitrate_bps: Number(row.bitrate_bps),
    }));
  }

  /**
   * Polls until at least `count` rows are stored, then waits a little longer
   * so that extra rows would show. `explain` adds what the sender saw to the
   * timeout's message.
   */
  async eventsOnceStored(count: number, timeoutMs = 15_000, explain?: () => string): Promise<StoredEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.events()).length < count) {
      if (Date.now() > deadline) {
        const stored = await this.events();
        const rows = stored.map((e) => `${e.sequence}:${e.event_type}`).join(" ");
        throw new Error(`fewer than ${count} events stored within ${timeoutMs} ms: ${stored.length} (${rows})${explain ? `\n${explain()}` : ""}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    return this.events();
  }

  /** Graceful stop; the database and stream stay for a collector started later with the same config. */
  async stop(): Promise<void> {
    const collector = this.collector;
    this.collector = undefined;
    for (const step of collector?.shutdownSteps ?? []) await step.run();
  }

  /** Stops the collector and removes its database and stream. */
  async destroy(): Promise<void> {
    await this.stop();
    await this.store.client.command({ query: `DROP DATABASE IF EXISTS ${this.config.clickhouseDatabase}` }).catch(() => undefined);
    await this.store.close();
    await deleteEventStream(this.config.natsUrl, this.config.streamName);
  }
}
