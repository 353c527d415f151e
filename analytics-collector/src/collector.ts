import { connect, type NatsConnection } from "nats";
import { createAnalyticsStore } from "@kino/analytics-store";
import { createMetricsRegistry, runHealthChecks, splitListen, type Logger, type Registry, type ShutdownStep } from "@kino/platform";
import { watchConnection } from "./buffer/connection-state.ts";
import { ensureEventStream, ensureSinkConsumer } from "./buffer/event-stream.ts";
import { GroupCommitPublisher } from "./buffer/group-commit-publisher.ts";
import type { CollectorConfig } from "./config.ts";
import { loadCountryLookup, type CountryLookup } from "./enrich/country-lookup.ts";
import { createUserAgentParser } from "./enrich/user-agent.ts";
import { createIngest } from "./ingest/ingest-batch.ts";
import { createCollectorMetrics } from "./metrics.ts";
import { startCollectorServer } from "./server/collector-server.ts";
import { createCorsPolicy } from "./server/cors.ts";
import { createIngestLog } from "./server/ingest-log.ts";
import { ClickHouseSink } from "./sink/clickhouse-sink.ts";
import type { Uws } from "./uws-native.ts";

export interface CollectorDeps {
  logger: Logger;
  uws: Uws;
  /** Loaded once per process and shared; loaded from the bundled database when omitted. */
  countries?: CountryLookup;
}

export interface Collector {
  readonly port: number;
  readonly registry: Registry;
  /** Graceful stop, in order: stop listening, flush pending publishes, drain the sink, close NATS and ClickHouse. */
  readonly shutdownSteps: ShutdownStep[];
}

const maxInFlightPublishes = 4;
const publishTimeoutMs = 5000;

/** Stays under NATS's max_payload (1 MiB by default) with room for headers. */
function messageLimit(nc: NatsConnection): number {
  return Math.min(1024 * 1024, nc.info?.max_payload ?? 1024 * 1024) - 16 * 1024;
}

export async function startCollector(config: CollectorConfig, deps: CollectorDeps): Promise<Collector> {
  const { logger } = deps;
  const countries = deps.countries ?? (await loadCountryLookup());
  // noAsyncTraces: nats.js would otherwise capture a stack trace for every publish, a few percent of the collector's CPU at beacon rates.
  const nc = await connect({ servers: config.natsUrl, name: "analytics-collector", maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
  const maxMessageBytes = messageLimit(nc);
  const jsm = await nc.jetstreamManager();
  const streamMaxMessageBytes = maxMessageBytes + 16 * 1024;
  /** `onCreated` runs when the stream had to be created, before its consumer exists. */
  const ensureBuffer = async (onCreated?: () => void) => {
    const created = await ensureEventStream(jsm, { name: config.streamName, subject: config.subject, maxBytes: config.bufferMaxBytes, maxMessageBytes: streamMaxMessageBytes });
    // Before the consumer: beacons are accepted again as soon as the stream exists, and the sink
    // must not read the new stream's first sequences as redeliveries of the old one's.
    if (created) onCreated?.();
    await ensureSinkConsumer(jsm, { stream: config.streamName, name: config.consumerName, ackWaitMs: config.sinkAckWaitMs, maxAckPending: 10_000 });
  };
  try {
    await ensureBuffer();
  } catch (error) {
    // A start that fails must not leave the connection open: whoever started it (a test, a retrying caller) would never exit.
    await nc.close();
    throw error;
  }
  const js = nc.jetstream();

  const registry = createMetricsRegistry("analytics-collector");
  const metrics = createCollectorMetrics(registry, { pendingBytes: () => publisher.pending });
  const publisher = new GroupCommitPublisher({
    js,
    subject: config.subject,
    maxMessageBytes,
    maxPendingBytes: config.maxPendingBytes,
    maxInFlight: maxInFlightPublishes,
    publishTimeoutMs,
    isConnected: () => connection.connected,
    onPublished: (rows) => {
      metrics.bufferPublished.inc(rows);
      metrics.bufferMessages.inc();
    },
  });

  const store = createAnalyticsStore({ url: config.clickhouseUrl, database: config.clickhouseDatabase, logger });
  const sink = new ClickHouseSink({
    js,
    stream: config.streamName,
    consumer: config.consumerName,
    store,
    batchRows: config.sinkBatchRows,
    maxDelayMs: config.sinkMaxDelayMs,
    ackWaitMs: config.sinkAckWaitMs,
    maxMessageBytes: streamMaxMessageBytes,
    logger,
    onInserted: (rows, seconds) => {
      metrics.sinkInserted.inc(rows);
      metrics.sinkInsertSeconds.observe(seconds);
    },
    onInsertFailed: () => metrics.sinkInsertFailures.inc(),
    onChecked: () => metrics.sinkCheckedInserts.inc(),
    onParked: () => metrics.sinkParked.inc(),
  });
  if (config.runSink) sink.start();
  const connection = watchConnection(nc, logger, async () => {
    await ensureBuffer(() => sink.streamReplaced());
  });

  const { host, port } = splitListen(config.listen);
  const server = await startCollectorServer({
    uws: deps.uws,
    host,
    port,
    registry,
    ingest: createIngest({
      maxBatchEvents: config.maxBatchEvents,
      clockWindow: { pastMs: config.maxClockSkewPastSeconds * 1000, futureMs: config.maxClockSkewFutureSeconds * 1000 },
      publisher,
    }),
    ingestLog: createIngestLog(logger, { refusedEveryMs: 10_000 }),
    metrics,
    cors: createCorsPolicy(config.corsOrigins),
    describeDevice: createUserAgentParser(),
    countryOf: (ip) => countries.country(ip),
    trustProxy: config.trustProxy,
    limits: { maxBodyBytes: config.maxBodyBytes, wsMaxBackpressureBytes: config.wsMaxBackpressureBytes, wsMaxInFlight: 64 },
    // Healthy while events can be buffered: ClickHouse being down only grows the sink's backlog.
    health: async () => {
      const report = await runHealthChecks({ nats: () => nc.flush() }, 1000);
      const backlog = await jsm.consumers
        .info(config.streamName, config.consumerName)
        .then((info) => ({ undelivered: info.num_pending, unacknowledged: info.num_ack_pending }))
        .catch(() => null);
      return { ...report, sink: config.runSink ? { ...sink.status(), backlogMessages: backlog } : { running: false, backlogMessages: backlog } };
    },
  });
  logger.info({ host, port: server.port, stream: config.streamName, database: config.clickhouseDatabase }, "analytics collector listening");

  return {
    port: server.port,
    registry,
    shutdownSteps: [
      { name: "close listen socket", run: () => server.close() },
      { name: "flush pending publishes", run: () => publisher.flush() },
      { name: "drain the sink", run: () => sink.stop() },
      { name: "close NATS", run: () => nc.drain() },
      { name: "close ClickHouse", run: () => store.close() },
    ],
  };
}
