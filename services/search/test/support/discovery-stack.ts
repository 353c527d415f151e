import { randomBytes } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { collectorConfigSchema, deleteEventStream, loadNativeUws, startCollector, type Collector } from "@kino/analytics-collector";
import { analyticsConfigSchema, startAnalyticsService, type RunningAnalytics } from "@kino/analytics-service";
import { catalogClientFor, engagementClientFor, lifecycleClientFor, startTestCatalog, type CatalogClient, type EngagementClient, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { EventBatchSchema } from "@kino/proto/analytics/v1";
import type { CreateVideoRequestSchema } from "@kino/proto/catalog/v1";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { SearchService } from "@kino/proto/search/v1";
import { requireTestEnv, sdkViewEvents } from "@kino/testkit";
import { startTestSearch, type StartedTestSearch, type TestSearchOptions } from "../../src/testing.ts";

export type SearchClient = GrpcClient<typeof SearchService>;

/**
 * Everything related videos, trending and "for you" come from: a catalog
 * (videos, events, watch history), the real beacon collector and an
 * analytics service over one ClickHouse database of this test's own, and
 * search following both.
 */
export interface DiscoveryStack {
  catalog: StartedTestCatalog;
  search: StartedTestSearch;
  searchAs(userId: string | undefined): SearchClient;
  catalogAs(userId: string): CatalogClient;
  engagementAs(userId: string): EngagementClient;
  /** A READY video of `ownerId`. */
  video(ownerId: string, init: MessageInitShape<typeof CreateVideoRequestSchema>): Promise<string>;
  /** Plays `videoId` as viewer `viewerId` through the player SDK's events, started `agoMs` before now, posted to the collector. */
  play(views: { videoId: string; viewerId: string; agoMs?: number }[]): Promise<void>;
  /** ViewStarts stored in ClickHouse so far. */
  storedViewStarts(): Promise<number>;
  close(): Promise<void>;
}

export async function startDiscoveryStack(searchOptions: Partial<TestSearchOptions> = {}): Promise<DiscoveryStack> {
  const credentials = testServiceCredentials();
  const keyFiles = credentials.files();
  const catalog = await startTestCatalog();
  const suffix = randomBytes(4).toString("hex");
  const clickhouseDatabase = `kino_discovery_${suffix}`;
  const collectorConfig = parseConfig(collectorConfigSchema, {
    KINO_COLLECTOR_LISTEN: "127.0.0.1:0",
    KINO_NATS_URL: requireTestEnv("KINO_TEST_NATS_URL"),
    KINO_CLICKHOUSE_URL: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"),
    KINO_CLICKHOUSE_DATABASE: clickhouseDatabase,
    KINO_COLLECTOR_STREAM: `KINO_DISCOVERY_${suffix}`,
    KINO_COLLECTOR_SUBJECT: `kino.test.discovery.${suffix}`,
    KINO_COLLECTOR_CONSUMER: `sink_${suffix}`,
    KINO_COLLECTOR_SINK_MAX_DELAY_MS: "100",
    // Views of the day before yesterday, for trending's previous window.
    KINO_COLLECTOR_MAX_PAST_SECONDS: String(3 * 86_400),
    KINO_LOG_LEVEL: "silent",
  });
  const collector: Collector = await startCollector(collectorConfig, { logger: silentLogger(), uws: loadNativeUws() });
  const analytics: RunningAnalytics = await startAnalyticsService(
    parseConfig(analyticsConfigSchema, {
      KINO_CLICKHOUSE_URL: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"),
      KINO_CLICKHOUSE_DATABASE: clickhouseDatabase,
      KINO_CATALOG_URL: catalog.address,
      KINO_ANALYTICS_LISTEN: "127.0.0.1:0",
      KINO_ANALYTICS_OPS_LISTEN: "127.0.0.1:0",
      KINO_TRUSTED_SERVICES_FILE: keyFiles.trustFile,
      KINO_SERVICE_IDENTITY_FILE: keyFiles.identityFile("analytics"),
      KINO_LOG_LEVEL: "silent",
      KINO_SHUTDOWN_TIMEOUT_MS: "2000",
    }),
    silentLogger(),
  );
  const search = await startTestSearch({
    natsPrefix: catalog.natsPrefix,
    analyticsAddress: `127.0.0.1:${analytics.grpcPort}`,
    catalogAddress: catalog.address,
    viewCountsPollMs: 300,
    ...searchOptions,
  });
  const lifecycle = lifecycleClientFor(credentials, catalog.address);
  const clients: { close(): void }[] = [lifecycle];
  const keep = <T extends { close(): void }>(client: T) => (clients.push(client), client);
  const collectorUrl = `http://127.0.0.1:${collector.port}`;

  return {
    catalog,
    search,
    searchAs(userId) {
      const raw = keep(createGrpcClient(SearchService, search.address, { identity: credentials.minter("gateway") }));
      return userId ? withCallOptions(raw, { onBehalfOf: { userId } }) : raw;
    },
    catalogAs: (userId) => keep(catalogClientFor(credentials, catalog.address, userId)),
    engagementAs: (userId) => keep(engagementClientFor(credentials, catalog.address, userId)),
    async video(ownerId, init) {
      const client = keep(catalogClientFor(credentials, catalog.address, ownerId));
      const { video } = await client.createVideo(init);
      const videoId = video!.id;
      const source = { durationSeconds: 60, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
      await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
      await lifecycle.startProcessing({ videoId });
      await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 60 });
      return videoId;
    },
    async play(views) {
      const now = Date.now();
      const events = views.flatMap((view) => sdkViewEvents({ videoId: view.videoId, viewerId: view.viewerId, heartbeats: 1 }, now - (view.agoMs ?? 0)));
      for (let i = 0; i < events.length; i += 500) {
        const body = toBinary(EventBatchSchema, create(EventBatchSchema, { events: events.slice(i, i + 500) }));
        const response = await fetch(`${collectorUrl}/v1/events`, { method: "POST", body: Buffer.from(body), headers: { "content-type": "application/x-protobuf" } });
        if (response.status !== 200) throw new Error(`the collector answered ${response.status}: ${await response.text()}`);
      }
    },
    async storedViewStarts() {
      const result = await fetch(`${requireTestEnv("KINO_TEST_CLICKHOUSE_URL")}?query=${encodeURIComponent(
        `SELECT uniqExact(view_id) FROM ${clickhouseDatabase}.events WHERE event_type = 'view_start'`,
      )}`);
      return result.ok ? Number((await result.text()).trim()) : 0;
    },
    async close() {
      for (const client of clients) client.close();
      await search.close();
      await analytics.close();
      for (const step of collector.shutdownSteps) await step.run();
      await fetch(`${requireTestEnv("KINO_TEST_CLICKHOUSE_URL")}?query=${encodeURIComponent(`DROP DATABASE IF EXISTS ${clickhouseDatabase}`)}`, { method: "POST" });
      await deleteEventStream(collectorConfig.natsUrl, collectorConfig.streamName);
      await catalog.close();
    },
  };
}
