import { randomBytes } from "node:crypto";
import { createAnalyticsStore, type AnalyticsStore } from "@kino/analytics-store";
import type { RunningCatalog } from "@kino/catalog-service";
import { catalogClientFor, lifecycleClientFor, startTestCatalog } from "@kino/catalog-service/testing";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { requireTestEnv } from "@kino/testkit";
import { analyticsConfigSchema, type AnalyticsConfig } from "../../src/config.ts";
import { startAnalyticsService, type RunningAnalytics } from "../../src/analytics-service.ts";

export type AnalyticsClient = GrpcClient<typeof AnalyticsService>;

export interface AnalyticsTestStack {
  catalog: RunningCatalog;
  catalogAddress: string;
  analytics: RunningAnalytics;
  analyticsAddress: string;
  /** This file's own ClickHouse database, for inserting events. */
  store: AnalyticsStore;
  /** The analytics config of this stack, to start more instances on the same database. */
  analyticsConfig(overrides?: Record<string, string>): AnalyticsConfig;
  /** A client calling as `callerId` (anonymous when undefined), signed as the gateway. */
  analyticsAs(callerId: string | undefined, address?: string): AnalyticsClient;
  /** Creates a video owned by `ownerId`; `ready` takes it through the pipeline to READY (public). */
  createVideo(ownerId: string, options?: { ready?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** A catalog over its own PostgreSQL database, and an analytics service over its own ClickHouse database. */
export async function startAnalyticsTestStack(): Promise<AnalyticsTestStack> {
  const started = await startTestCatalog();
  const catalog = started.catalog;
  const catalogAddress = `127.0.0.1:${catalog.grpcPort}`;
  const credentials = testServiceCredentials();
  const keyFiles = credentials.files();
  const clickhouseDatabase = `kino_analytics_test_${randomBytes(4).toString("hex")}`;
  const analyticsConfig = (overrides: Record<string, string> = {}) =>
    parseConfig(analyticsConfigSchema, {
      KINO_CLICKHOUSE_URL: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"),
      KINO_CLICKHOUSE_DATABASE: clickhouseDatabase,
      KINO_CATALOG_URL: catalogAddress,
      KINO_ANALYTICS_LISTEN: "127.0.0.1:0",
      KINO_ANALYTICS_OPS_LISTEN: "127.0.0.1:0",
      KINO_TRUSTED_SERVICES_FILE: keyFiles.trustFile,
      KINO_SERVICE_IDENTITY_FILE: keyFiles.identityFile("analytics"),
      KINO_LOG_LEVEL: "silent",
      KINO_SHUTDOWN_TIMEOUT_MS: "2000",
      ...overrides,
    });
  const analytics = await startAnalyticsService(analyticsConfig(), silentLogger());
  const analyticsAddress = `127.0.0.1:${analytics.grpcPort}`;
  const store = createAnalyticsStore({ url: requireTestEnv("KINO_TEST_CLICKHOUSE_URL"), database: clickhouseDatabase });
  const lifecycle = lifecycleClientFor(credentials, catalogAddress);
  const clients: { close(): void }[] = [lifecycle];

  return {
    catalog,
    catalogAddress,
    analytics,
    analyticsAddress,
    store,
    analyticsConfig,
    analyticsAs(callerId, address = analyticsAddress) {
      const raw = createGrpcClient(AnalyticsService, address, { identity: credentials.minter("gateway") });
      clients.push(raw);
      return callerId ? withCallOptions(raw, { onBehalfOf: { userId: callerId } }) : raw;
    },
    async createVideo(ownerId, options = {}) {
      const client = catalogClientFor(credentials, catalogAddress, ownerId);
      clients.push(client);
      const { video } = await client.createVideo({ title: "analytics test" });
      const videoId = video!.id;
      if (options.ready) {
        const source = { durationSeconds: 3, width: 320, height: 180, frameRate: 30, hasAudio: true, sizeBytes: 1234n, videoCodec: "h264" };
        await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
        await lifecycle.startProcessing({ videoId });
        await lifecycle.markReady({ videoId, outputId: "attempt1", durationSeconds: 3 });
      }
      return videoId;
    },
    async close() {
      for (const client of clients) client.close();
      await analytics.close();
      await started.close();
      await store.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
      await store.close();
    },
  };
}
