import { randomBytes } from "node:crypto";
import { startTestAccounts, type TestAccounts } from "@kino/auth-service/test-accounts";
import { startTestCatalog } from "@kino/catalog-service/testing";
import { gatewayConfigSchema, startGatewayApp } from "@kino/gateway";
import { testServiceCredentials } from "@kino/grpc/testing";
import { parseConfig, silentLogger } from "@kino/platform";
import { findFreePort } from "@kino/stack";
import { createTempDir, requireTestEnv, type TempDir } from "@kino/testkit";
import { startTranscoder, transcoderConfigSchema } from "@kino/transcoder";
import { distDir, ensureWebBuild } from "../scripts/web-build.ts";

export interface WebStack {
  /** Where the browser opens the app: the gateway, serving web/dist. */
  baseUrl: string;
  /** The auth service and its mail catcher, where sign-up and sign-in codes land. */
  accounts: TestAccounts;
  close(): Promise<void>;
}

/**
 * The real thing the browser talks to: auth (with a mail catcher), catalog,
 * the gateway app serving the built web app, and a transcoder, over a fresh
 * database, NATS prefix and storage directory.
 */
export async function startWebStack(): Promise<WebStack> {
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
      KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("gateway"),
      KINO_UPLOAD_SECRET: randomBytes(32).toString("hex"),
      KINO_PLAYBACK_TOKEN_SECRET: randomBytes(32).toString("hex"),
      KINO_UPLOAD_STAGING_DIR: await tempDir("kino-web-staging-"),
      KINO_WEB_DIR: distDir,
      KINO_WEB_COLLECTOR_URL: "off",
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
      KINO_SERVICE_IDENTITY_FILE: testServiceCredentials().files().identityFile("transcoder"),
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
    async close() {
      for (const close of closers) await close();
      for (const dir of dirs) await dir.remove();
    },
  };
}
