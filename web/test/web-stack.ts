import { randomBytes } from "node:crypto";
import { collectorConfigSchema, deleteEventStream, loadNativeUws, startCollector } from "@kino/analytics-collector";
import { analyticsConfigSchema, startAnalyticsService } from "@kino/analytics-service";
import { startTestAccounts, type TestAccounts } from "@kino/auth-service/test-accounts";
import { catalogClientFor, startTestCatalog, type CatalogClient } from "@kino/catalog-service/testing";
import { gatewayConfigSchema, startGatewayApp } from "@kino/gateway";
import { testServiceCredentials } from "@kino/grpc/testing";
import { startTestNotify } from "@kino/notify-service/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { startTestSearch } from "@kino/search-service/testing";
import { findFreePort } from "@kino/stack";
import { createTempDir, requireTestEnv, type TempDir } from "@kino/testkit";
import { startTranscoder, transcoderConfigSchema } from "@kino/transcoder";
import { distDir, ensureWebBuild } from "../scripts/web-build.ts";

export interface WebStack {
  /** Where the browser opens the app: the gateway, serving web/dist. */
  baseUrl: string;
  /** The auth service and its mail catcher, where sign-up and sign-in codes land. */
  accounts: TestAccounts;
  /** The catalog as an admin calls it (categories). */
  catalogAdmin: CatalogClient;
  close(): Promise<void>;
}

type NotifySettings = NonNullable<Parameters<typeof startTestNotify>[0]["config"]>;

export interface WebStackOptions {
  /** The analytics collector (beacons into ClickHouse, its URL in the app's CSP) and the analytics service. */
  analytics?: boolean;
  /** The search service, following the catalog's events. */
  search?: boolean;
  /** The notify service (webhooks, the in-app feed), mailing through the accounts' mail catcher; settings that differ from its test defaults. */
  notify?: boolean | NotifySettings;
}

/**
 * The real thing the browser talks to: auth (with a mail catcher), catalog,
 * the gateway app serving the built web app, and a transcoder, over a fresh
 * database, NATS prefix and storage directory; the services `options` ask
 * for besides, each over its own database.
 */
export async function startWebStack(options: WebStackOptions = {}): Promise<WebStack> {
  await ensureWebBuild();
  const logger = silentLogger();
  const closers: (() => Promise<unknown>)[] = [];
  const dirs: TempDir[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await createTempDir(prefix);
    dirs.push(dir);
    return dir.path;
  };
  const storageDir = await tempDir("kino-web-storage-");
  const shared = {
    KINO_NATS_URL: requireTestEnv("KINO_TEST_NATS_URL"),
    KINO_NATS_PREFIX: `web${randomBytes(4).toString("hex")}`,
    KINO_LOG_LEVEL: "silent",
    KINO_STORAGE_DRIVER: "local",
    KINO_STORAGE_DIR: storageDir,
  };
  const accounts = await startTestAccounts();
  closers.unshift(() => accounts.close());
  const catalog = await startTestCatalog({ natsPrefix: shared.KINO_NATS_PREFIX });
  closers.unshift(() => catalog.close());
  const credentials = testServiceCredentials();
  const catalogAdmin = catalogClientFor(credentials, catalog.address, "web-test-admin", "admin");
  closers.unshift(async () => catalogAdmin.close());
  const upstreams: Record<string, string> = {};

  if (options.analytics) {
    const suffix = randomBytes(4).toString("hex");
    const database = `kino_web_${suffix}`;
    const clickhouseUrl = requireTestEnv("KINO_TEST_CLICKHOUSE_URL");
    const collectorConfig = parseConfig(collectorConfigSchema, {
      KINO_COLLECTOR_LISTEN: "127.0.0.1:0",
      KINO_NATS_URL: shared.KINO_NATS_URL,
      KINO_CLICKHOUSE_URL: clickhouseUrl,
      KINO_CLICKHOUSE_DATABASE: database,
      KINO_COLLECTOR_STREAM: `KINO_WEB_${suffix}`,
      KINO_COLLECTOR_SUBJECT: `kino.test.web.${suffix}`,
      KINO_COLLECTOR_CONSUMER: `sink_${suffix}`,
      KINO_COLLECTOR_SINK_MAX_DELAY_MS: "200",
      KINO_LOG_LEVEL: "silent",
    });
    const collector = await startCollector(collectorConfig, { logger, uws: loadNativeUws() });
    closers.unshift(async () => {
      for (const step of collector.shutdownSteps) await step.run();
      await fetch(clickhouseUrl, { method: "POST", body: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
      await deleteEventStream(collectorConfig.natsUrl, collectorConfig.streamName);
    });
    upstreams.KINO_WEB_COLLECTOR_URL = `http://127.0.0.1:${collector.port}`;
    const analytics = await startAnalyticsService(
      parseConfig(analyticsConfigSchema, {
        KINO_CLICKHOUSE_URL: clickhouseUrl,
        KINO_CLICKHOUSE_DATABASE: database,
        KINO_CATALOG_URL: catalog.address,
        KINO_ANALYTICS_LISTEN: "127.0.0.1:0",
        KINO_ANALYTICS_OPS_LISTEN: "127.0.0.1:0",
        KINO_TRUSTED_SERVICES_FILE: credentials.files().trustFile,
        KINO_SERVICE_IDENTITY_FILE: credentials.files().identityFile("analytics"),
        KINO_LOG_LEVEL: "silent",
        KINO_SHUTDOWN_TIMEOUT_MS: "2000",
      }),
      logger,
    );
    closers.unshift(() => analytics.close());
    upstreams.KINO_ANALYTICS_URL = `127.0.0.1:${analytics.grpcPort}`;
  }
  if (options.search) {
    const search = await startTestSearch({
      natsPrefix: shared.KINO_NATS_PREFIX,
      catalogAddress: catalog.address,
      ...(upstreams.KINO_ANALYTICS_URL ? { analyticsAddress: upstreams.KINO_ANALYTICS_URL } : {}),
    });
    closers.unshift(() => search.close());
    upstreams.KINO_SEARCH_URL = search.address;
  }
  if (options.notify) {
    const config = typeof options.notify === "object" ? options.notify : {};
    const notify = await startTestNotify({ natsPrefix: shared.KINO_NATS_PREFIX, authUrl: accounts.authUrl, smtpUrl: accounts.mail.url, config });
    closers.unshift(() => notify.close());
    upstreams.KINO_NOTIFY_URL = notify.address;
  }

  // Upload and playback URLs are built on the public URL, so the port is chosen first.
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const gateway = await startGatewayApp(
    parseConfig(gatewayConfigSchema, {
      ...shared,
      KINO_GATEWAY_LISTEN: `127.0.0.1:${port}`,
      KINO_PUBLIC_BASE_URL: baseUrl,
      KINO_CATALOG_URL: catalog.address,
      ...accounts.gatewayEnv,
      KINO_SERVICE_IDENTITY_FILE: credentials.files().identityFile("gateway"),
      KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
      KINO_PLAYBACK_TOKEN_SECRET: randomBytes(32).toString("hex"),
      KINO_UPLOAD_STAGING_DIR: await tempDir("kino-web-staging-"),
      KINO_WEB_DIR: distDir,
      KINO_WEB_COLLECTOR_URL: "off",
      ...upstreams,
      KINO_RATE_LIMIT_PER_MINUTE: "0",
      KINO_SHUTDOWN_TIMEOUT_MS: "3000",
    }),
    logger,
  );
  closers.unshift(() => gateway.close());
  const transcoder = await startTranscoder(
    parseConfig(transcoderConfigSchema, {
      ...shared,
      KINO_CATALOG_URL: catalog.address,
      KINO_SERVICE_IDENTITY_FILE: credentials.files().identityFile("transcoder"),
      KINO_TRANSCODER_OPS_LISTEN: "127.0.0.1:0",
      KINO_TRANSCODE_PRESET: "ultrafast",
      KINO_HLS_SEGMENT_SECONDS: "1",
      KINO_TEMP_DIR: await tempDir("kino-web-work-"),
      KINO_SHUTDOWN_TIMEOUT_MS: "5000",
    }),
    logger,
  );
  closers.unshift(() => transcoder.close());

  return {
    baseUrl,
    accounts,
    catalogAdmin,
    async close() {
      for (const close of closers) await close();
      for (const dir of dirs) await dir.remove();
    },
  };
}
