import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createHealthClient } from "@kino/grpc";
import { silentLogger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { requireTestEnv } from "@kino/testkit";
import { startAnalyticsService, type RunningAnalytics } from "../src/analytics-service.ts";
import { startAnalyticsTestStack, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";
import { rejectsWith } from "./support/grpc-assertions.ts";
import { TcpProxy } from "./support/tcp-proxy.ts";

const range = { startTime: timestampFromMs(Date.UTC(2026, 9, 1)), endTime: timestampFromMs(Date.UTC(2026, 9, 2)) };

let stack: AnalyticsTestStack;
let proxy: TcpProxy;
let analytics: RunningAnalytics;

before(async () => {
  stack = await startAnalyticsTestStack();
  const clickhouse = new URL(requireTestEnv("KINO_TEST_CLICKHOUSE_URL"));
  proxy = new TcpProxy(clickhouse.hostname, Number(clickhouse.port));
  await proxy.start();
  // A second instance on the same database, reaching ClickHouse through the proxy.
  analytics = await startAnalyticsService(
    stack.analyticsConfig({ KINO_CLICKHOUSE_URL: `http://127.0.0.1:${proxy.port}` }),
    silentLogger(),
  );
});
after(async () => {
  await analytics.close();
  await proxy.stop();
  await stack.close();
});

async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("ClickHouse down: calls fail as Unavailable and health says NOT_SERVING; both recover when it is back", async () => {
  const address = `127.0.0.1:${analytics.grpcPort}`;
  const alice = stack.analyticsAs("alice", address);
  const health = createHealthClient(address);
  const serving = () => health.check(AnalyticsService.typeName).then(() => true, () => false);
  try {
    const videoId = await stack.createVideo("alice");
    assert.equal((await alice.getVideoSummary({ videoId, range })).totals?.views, 0n);

    await proxy.stop();
    await rejectsWith(alice.getVideoSummary({ videoId, range }), GrpcStatus.UNAVAILABLE, /analytics store is unavailable/);
    await rejectsWith(alice.listTopVideos({ range }), GrpcStatus.UNAVAILABLE);
    await eventually(async () => !(await serving()), "health turning NOT_SERVING");

    await proxy.start();
    await eventually(serving, "health turning SERVING again");
    assert.equal((await alice.getVideoSummary({ videoId, range })).totals?.views, 0n);
  } finally {
    health.close();
    alice.close();
  }
});
