import { randomBytes } from "node:crypto";
import { createGrpcClient, withCallOptions, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials, type TestServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { CatalogExportService, CatalogService, ContentKeyService, EngagementService, VideoLifecycleService } from "@kino/proto/catalog/v1";
import { createTestDatabase, requireTestEnv } from "@kino/testkit";
import { startCatalogService, type RunningCatalog } from "./catalog-service.ts";
import { masterKeysField } from "./content-keys/master-keys.ts";

export interface TestCatalogOptions {
  /** An existing database to use; a fresh one of its own otherwise (dropped on close). */
  databaseUrl?: string;
  /** Stream and subject prefix; a random one otherwise, so test files can share a NATS server. */
  natsPrefix?: string;
  /** Comment rate limits; the production defaults otherwise. Counts live under a Redis prefix of this catalog's own. */
  commentsPerMinute?: number;
  commentsPerDay?: number;
  /** KINO_MEDIA_MASTER_KEY as written; a random key "test" by default, "" for none (protection refused). */
  masterKeys?: string;
}

export interface StartedTestCatalog {
  catalog: RunningCatalog;
  /** host:port of its gRPC server. */
  address: string;
  natsPrefix: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * For other packages' tests: a real catalog on a free port, over the test
 * servers `kino test` starts (KINO_TEST_POSTGRES_URL, KINO_TEST_NATS_URL,
 * KINO_TEST_REDIS_URL).
 */
export async function startTestCatalog(options: TestCatalogOptions = {}): Promise<StartedTestCatalog> {
  const database = options.databaseUrl ? undefined : await createTestDatabase("kino_catalog");
  const databaseUrl = options.databaseUrl ?? database!.url;
  const natsPrefix = options.natsPrefix ?? `t${randomBytes(5).toString("hex")}`;
  const catalog = await startCatalogService(
    {
      databaseUrl,
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix,
      redisUrl: requireTestEnv("KINO_TEST_REDIS_URL"),
      redisKeyPrefix: `kino:catalog:${natsPrefix}`,
      commentsPerMinute: options.commentsPerMinute ?? 10,
      commentsPerDay: options.commentsPerDay ?? 200,
      trustedServices: testServiceCredentials().trust,
      masterKeys: masterKeysField().parse(options.masterKeys ?? `test:${randomBytes(32).toString("base64")}`),
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    silentLogger(),
  );
  return {
    catalog,
    address: `127.0.0.1:${catalog.grpcPort}`,
    natsPrefix,
    databaseUrl,
    async close() {
      await catalog.close();
      await database?.drop();
    },
  };
}

export type CatalogClient = GrpcClient<typeof CatalogService>;
export type LifecycleClient = GrpcClient<typeof VideoLifecycleService>;
export type EngagementClient = GrpcClient<typeof EngagementService>;
export type ExportClient = GrpcClient<typeof CatalogExportService>;

/** An export client signed as `principal` (the search service by default, the one caller the export allows). */
export function exportClientFor(credentials: TestServiceCredentials, address: string, principal: "search" | "gateway" = "search"): ExportClient {
  return createGrpcClient(CatalogExportService, address, { identity: credentials.minter(principal) });
}

/** An engagement client signed as `principal` (the gateway by default), calling for `userId` (anonymous when undefined). */
export function engagementClientFor(
  credentials: TestServiceCredentials,
  address: string,
  userId: string | undefined,
  options: { role?: "user" | "admin"; principal?: "gateway" | "search" | "analytics" } = {},
): EngagementClient {
  const raw = createGrpcClient(EngagementService, address, { identity: credentials.minter(options.principal ?? "gateway") });
  return userId ? withCallOptions(raw, { onBehalfOf: { userId, role: options.role ?? "user" } }) : raw;
}

/** A catalog client signed as the gateway, calling for `userId` (anonymous when undefined) in `role`. */
export function catalogClientFor(credentials: TestServiceCredentials, address: string, userId: string | undefined, role: "user" | "admin" = "user"): CatalogClient {
  const raw = createGrpcClient(CatalogService, address, { identity: credentials.minter("gateway") });
  return userId ? withCallOptions(raw, { onBehalfOf: { userId, role } }) : raw;
}

/**
 * A lifecycle client for tests that play both hosts: each step is signed by
 * the service the catalog expects it from (MarkUploaded by the gateway, the
 * rest by a transcoder).
 */
export function lifecycleClientFor(credentials: TestServiceCredentials, address: string): LifecycleClient {
  const asGateway = createGrpcClient(VideoLifecycleService, address, { identity: credentials.minter("gateway") });
  const asTranscoder = createGrpcClient(VideoLifecycleService, address, { identity: credentials.minter("transcoder") });
  return new Proxy(asTranscoder, {
    get(target, key, receiver) {
      if (key === "markUploaded") return asGateway.markUploaded;
      if (key === "close") return () => (asGateway.close(), asTranscoder.close());
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

export type ContentKeyClient = GrpcClient<typeof ContentKeyService>;

/** A content key client signed as `principal` (the gateway by default; the transcoder may call too, nobody else). */
export function contentKeyClientFor(credentials: TestServiceCredentials, address: string, principal: "gateway" | "transcoder" | "search" | "analytics" = "gateway"): ContentKeyClient {
  return createGrpcClient(ContentKeyService, address, { identity: credentials.minter(principal) });
}
