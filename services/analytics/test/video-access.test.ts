import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createGrpcClient, type GrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { KinoError } from "@kino/platform";
import { CatalogService } from "@kino/proto/catalog/v1";
import { catalogVideoAccess } from "../src/video-access.ts";
import { startAnalyticsTestStack, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";

let stack: AnalyticsTestStack;
let catalog: GrpcClient<typeof CatalogService>;

before(async () => {
  stack = await startAnalyticsTestStack();
  // Analytics calls the catalog with its own identity, for the caller named in each call.
  catalog = createGrpcClient(CatalogService, stack.catalogAddress, { identity: testServiceCredentials().minter("analytics") });
});
after(async () => {
  catalog.close();
  await stack.close();
});

const caller = (callerId: string) => ({ callerId, requestId: "test", signal: new AbortController().signal });

test("an owner's videos are listed across catalog pages, and only theirs", async () => {
  const own = [];
  for (let i = 0; i < 5; i++) own.push(await stack.createVideo("dana"));
  await stack.createVideo("erin", { ready: true });
  const access = catalogVideoAccess({ catalog, timeoutMs: 5000, maxOwnedVideos: 10, pageSize: 2 });
  assert.deepEqual((await access.ownVideoIds(caller("dana"))).sort(), own.sort());

  const bounded = catalogVideoAccess({ catalog, timeoutMs: 5000, maxOwnedVideos: 4, pageSize: 2 });
  await assert.rejects(bounded.ownVideoIds(caller("dana")), (error) => KinoError.is(error, "failed_precondition") && /at most 4 videos/.test(error.message));
});

test("a catalog that cannot be reached makes access checks Unavailable", async () => {
  const unreachable = createGrpcClient(CatalogService, "127.0.0.1:1");
  try {
    const access = catalogVideoAccess({ catalog: unreachable, timeoutMs: 1000, maxOwnedVideos: 10 });
    await assert.rejects(access.requireOwnVideo("abcdefghij0123456789", caller("dana")), (error) => KinoError.is(error, "unavailable"));
    await assert.rejects(access.ownVideoIds(caller("dana")), (error) => KinoError.is(error, "unavailable") && /catalog unavailable/.test(error.message));
  } finally {
    unreachable.close();
  }
});
