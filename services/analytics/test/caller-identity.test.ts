import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials, untrustedMinter } from "@kino/grpc/testing";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { startAnalyticsTestStack, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";

let stack: AnalyticsTestStack;
before(async () => {
  stack = await startAnalyticsTestStack();
});
after(() => stack.close());

const range = { startTime: { seconds: 0n }, endTime: { seconds: 3600n } };

test("the analytics port refuses a forged caller header, an untrusted key and another service's identity", async () => {
  const videoId = await stack.createVideo("alice");
  const bare = createGrpcClient(AnalyticsService, stack.analyticsAddress);
  const impostor = createGrpcClient(AnalyticsService, stack.analyticsAddress, { identity: untrustedMinter("gateway") });
  const transcoder = createGrpcClient(AnalyticsService, stack.analyticsAddress, { identity: testServiceCredentials().minter("transcoder") });
  try {
    await assert.rejects(bare.getVideoSummary({ videoId, range }, { headers: { "kino-caller-id": "alice" } }), (error: { code: number; details: string }) =>
      error.code === GrpcStatus.UNAUTHENTICATED && /signed caller assertion/.test(error.details),
    );
    await assert.rejects(impostor.getVideoSummary({ videoId, range }, { onBehalfOf: { userId: "alice" } }), (error: { code: number }) => error.code === GrpcStatus.UNAUTHENTICATED);
    await assert.rejects(transcoder.getVideoSummary({ videoId, range }, { onBehalfOf: { userId: "alice" } }), (error: { code: number }) => error.code === GrpcStatus.PERMISSION_DENIED);
    // The same question through the gateway's identity is answered for the owner.
    const summary = await stack.analyticsAs("alice").getVideoSummary({ videoId, range });
    assert.equal(summary.videoId, videoId);
  } finally {
    bare.close();
    impostor.close();
    transcoder.close();
  }
});
