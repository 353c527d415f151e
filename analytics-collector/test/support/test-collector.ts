import { createAnalyticsStore, type AnalyticsStore } from "@kino/analytics-store";
import { parseConfig, silentLogger, type Logger } from "@kino/platform";
import { requireTestEnv } from "@kino/testkit";
import { collectorConfigSchema, deleteEventStream, loadNativeUws, startCollector, type Collector, type CollectorConfig } from "../../src/index.ts";
import { uniqueNames } from "./test-names.ts";

/** Environment for a collector on this file's own database and stream. */
export function collectorEnv(prefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  const names = uniqueNames(prefix);
  return {
    KINO_COLLECTOR_LISTEN: "127.0.0.1:0",
    KINO_NATS_URL: requireTestEnv("KINO_TEST_NATS_URL"),
    KINO_CLICKHOUSE_URL: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"),
    KINO_CLICKHOUSE_DATABASE: names.database,
    KINO_COLLECTOR_STREAM: names.stream,
    KINO_COLLECTOR_SUBJECT: names.subject,
    KINO_COLLECTOR_CONSUMER: names.consumer,
    KINO_COLLECTOR_SINK_MAX_DELAY_MS: "200",
    KINO_LOG_LEVEL: "silent",
    ...overrides,
  };
}

export interface RunningCollector {
  config: CollectorConfig;
  url: string;
  collector: Collector;
  store: AnalyticsStore;
  stop(): Promise<void>;
}

/** A collector in this process, and a store on its database; stop() removes both. */
export async function startTestCollector(prefix: string, overrides: Record<string, string> = {}, logger: Logger = silentLogger()): Promise<RunningCollector> {
  const env = collectorEnv(prefix, overrides);
  const config = parseConfig(collectorConfigSchema, env);
  const collector = await startCollector(config, { logger, uws: loadNativeUws() });
  const store = createAnalyticsStore({ url: config.clickhouseUrl, database: config.clickhouseDatabase });
  return {
    config,
    url: `http://127.0.0.1:${collector.port}`,
    collector,
    store,
    async stop() {
      for (const step of collector.shutdownSteps) await step.run();
      await dropTestResources(config, store);
    },
  };
}

/** Drops a test's database and stream, and closes its store. */
export async function dropTestResources(config: Pick<CollectorConfig, "clickhouseDatabase" | "natsUrl" | "streamName">, store: AnalyticsStore): Promise<void> {
  await store.client.command({ query: `DROP DATABASE IF EXISTS ${config.clickhouseDatabase}` }).catch(() => undefined);
  await store.close();
  await deleteEventStream(config.natsUrl, config.streamName);
}

/** Polls until `probe` returns a value `done` accepts, or fails after timeoutMs. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/** Events in the raw table, each id counted once (FINAL) and in total (physical rows). */
export async function storedCounts(store: AnalyticsStore): Promise<{ unique: number; rows: number }> {
  const result = await store.client
    .query({ query: `SELECT uniqExact(event_id) AS unique, count() AS rows FROM ${store.database}.events`, format: "JSONEachRow" })
    .catch(() => undefined); // the sink creates the table on its first run
  const [row] = result ? await result.json<{ unique: string; rows: string }>() : [];
  return { unique: Number(row?.unique ?? 0), rows: Number(row?.rows ?? 0) };
}
