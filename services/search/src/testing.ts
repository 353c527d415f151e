import { randomBytes } from "node:crypto";
import { testServiceCredentials } from "@kino/grpc/testing";
import { silentLogger } from "@kino/platform";
import { createTestDatabase, requireTestEnv } from "@kino/testkit";
import { startSearchService, type RunningSearch } from "./search-service.ts";

export interface StartedTestSearch {
  search: RunningSearch;
  address: string;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestSearchOptions {
  natsPrefix: string;
  databaseUrl?: string;
  consumerName?: string;
  /** The analytics service for view counts and co-views; by default none answers (lists fall back to the documents alone). */
  analyticsAddress?: string;
  /** The catalog for watch history; by default none answers (recommendations are trending). */
  catalogAddress?: string;
  /** By default the shared test Redis, under keys of this instance's own. */
  redisUrl?: string;
  viewCountsPollMs?: number;
  cacheTtlMs?: number;
}

// A port nothing listens on: calls fail at once.
const nobody = "127.0.0.1:1";

/** For tests: a real search service on a free port following `natsPrefix`'s events, over a database of its own. */
export async function startTestSearch(options: TestSearchOptions): Promise<StartedTestSearch> {
  const database = options.databaseUrl ? undefined : await createTestDatabase("kino_search");
  const databaseUrl = options.databaseUrl ?? database!.url;
  const credentials = testServiceCredentials();
  const search = await startSearchService(
    {
      databaseUrl,
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix: options.natsPrefix,
      consumerName: options.consumerName ?? "search",
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      trustedServices: credentials.trust,
      identity: credentials.identity("search"),
      analyticsUrl: options.analyticsAddress ?? nobody,
      catalogUrl: options.catalogAddress ?? nobody,
      viewCountsPollMs: options.viewCountsPollMs ?? 500,
      redisUrl: options.redisUrl ?? requireTestEnv("KINO_TEST_REDIS_URL"),
      cachePrefix: `kino-test:search:${randomBytes(6).toString("hex")}`,
      cacheTtlMs: options.cacheTtlMs ?? 3000,
      logLevel: "silent",
      shutdownTimeoutMs: 3000,
    },
    silentLogger(),
  );
  return {
    search,
    address: `127.0.0.1:${search.grpcPort}`,
    databaseUrl,
    async close() {
      await search.close();
      await database?.drop();
    },
  };
}
