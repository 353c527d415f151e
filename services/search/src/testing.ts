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

/** For tests: a real search service on a free port following `natsPrefix`'s events, over a database of its own. */
export async function startTestSearch(options: { natsPrefix: string; databaseUrl?: string; consumerName?: string }): Promise<StartedTestSearch> {
  const database = options.databaseUrl ? undefined : await createTestDatabase("kino_search");
  const databaseUrl = options.databaseUrl ?? database!.url;
  const search = await startSearchService(
    {
      databaseUrl,
      natsUrl: requireTestEnv("KINO_TEST_NATS_URL"),
      natsPrefix: options.natsPrefix,
      consumerName: options.consumerName ?? "search",
      listen: "127.0.0.1:0",
      opsListen: "127.0.0.1:0",
      trustedServices: testServiceCredentials().trust,
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
