import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Dimension, Granularity } from "@kino/proto/analytics/v1";
import { startAnalyticsTestStack, type AnalyticsClient, type AnalyticsTestStack } from "./support/analytics-test-stack.ts";
import { rejectsWith } from "./support/grpc-assertions.ts";

const dayMs = 86_400_000;
const t0 = Date.UTC(2026, 9, 1);
const range = { startTime: timestampFromMs(t0), endTime: timestampFromMs(t0 + 7 * dayMs) };

let stack: AnalyticsTestStack;
let alice: AnalyticsClient;
let bob: AnalyticsClient;
let anonymous: AnalyticsClient;
let privateVideo: string;
let publicVideo: string;

before(async () => {
  stack = await startAnalyticsTestStack();
  alice = stack.analyticsAs("alice");
  bob = stack.analyticsAs("bob");
  anonymous = stack.analyticsAs(undefined);
  [privateVideo, publicVideo] = await Promise.all([stack.createVideo("alice"), stack.createVideo("alice", { ready: true })]);
});
after(() => stack.close());

test("anonymous callers get nothing", async () => {
  const unauthenticated = (call: Promise<unknown>) => rejectsWith(call, GrpcStatus.UNAUTHENTICATED, /authenticated caller/);
  await unauthenticated(anonymous.getVideoSummary({ videoId: publicVideo, range }));
  await unauthenticated(anonymous.getVideoTimeSeries({ videoId: publicVideo, range }));
  await unauthenticated(anonymous.listTopVideos({ range }));
  await unauthenticated(anonymous.getBreakdown({ range, dimension: Dimension.COUNTRY }));
  await unauthenticated(anonymous.getQoe({ videoId: publicVideo, range }));
});

test("a video's analytics are its owner's alone", async () => {
  assert.equal((await alice.getVideoSummary({ videoId: privateVideo, range })).videoId, privateVideo);
  assert.equal((await alice.getQoe({ videoId: publicVideo, range })).videoId, publicVideo);

  // Bob cannot see Alice's unpublished video at all: as if it did not exist.
  await rejectsWith(bob.getVideoSummary({ videoId: privateVideo, range }), GrpcStatus.NOT_FOUND, /not found/);
  await rejectsWith(bob.getQoe({ videoId: privateVideo, range }), GrpcStatus.NOT_FOUND);
  // Her published video he can watch, but not read its audience.
  const denied = (call: Promise<unknown>) => rejectsWith(call, GrpcStatus.PERMISSION_DENIED, /owner only/);
  await denied(bob.getVideoSummary({ videoId: publicVideo, range }));
  await denied(bob.getVideoTimeSeries({ videoId: publicVideo, range }));
  await denied(bob.getBreakdown({ videoId: publicVideo, range, dimension: Dimension.DEVICE }));
  await denied(bob.getQoe({ videoId: publicVideo, range }));
  await rejectsWith(alice.getVideoSummary({ videoId: "abcdefghij0123456789", range }), GrpcStatus.NOT_FOUND);
});

test("bad ranges and arguments are refused with the field named", async () => {
  const invalid = (call: Promise<unknown>, message: RegExp) => rejectsWith(call, GrpcStatus.INVALID_ARGUMENT, message);
  const at = timestampFromMs;
  await invalid(alice.getVideoSummary({ videoId: privateVideo }), /range is required/);
  await invalid(alice.getVideoSummary({ videoId: privateVideo, range: { endTime: at(t0) } }), /range.start_time is required/);
  await invalid(alice.getVideoSummary({ videoId: privateVideo, range: { startTime: at(t0) } }), /range.end_time is required/);
  await invalid(alice.getQoe({ videoId: privateVideo, range: { startTime: at(t0), endTime: at(t0) } }), /range.start_time must be before range.end_time/);
  await invalid(alice.listTopVideos({ range: { startTime: at(t0), endTime: at(t0 - dayMs) } }), /range.start_time must be before/);
  await invalid(alice.getQoe({ videoId: privateVideo, range: { startTime: at(-dayMs), endTime: at(t0) } }), /range.start_time must be between 1970/);
  await invalid(alice.getVideoSummary({ videoId: privateVideo, range: { startTime: at(0), endTime: at(3661 * dayMs) } }), /range must span at most 3660 days/);
  await invalid(
    alice.getVideoTimeSeries({ videoId: privateVideo, range: { startTime: at(t0), endTime: at(t0 + 32 * dayMs) }, granularity: Granularity.HOUR }),
    /GRANULARITY_HOUR allows a range of at most 31 days/,
  );
  await invalid(alice.getVideoTimeSeries({ videoId: privateVideo, range, granularity: 9 as Granularity }), /granularity 9/);
  await invalid(alice.getVideoSummary({ videoId: "", range }), /video_id is required/);
  await invalid(alice.getVideoSummary({ videoId: "x".repeat(100_000), range }), /^video_id must be a video id \(20 characters of a-z and 0-9\)$/);
  await invalid(alice.getBreakdown({ videoId: "../other", range, dimension: Dimension.COUNTRY }), /^video_id must be a video id/);
  await invalid(alice.getBreakdown({ range }), /dimension is required/);
  await invalid(alice.getBreakdown({ range, dimension: Dimension.COUNTRY, pageSize: 101 }), /page_size must be between 1 and 100/);
  await invalid(alice.listTopVideos({ range, pageSize: -1 }), /page_size/);

  // Long daily series are fine, and the service is still up after all that.
  const daily = await alice.getVideoTimeSeries({ videoId: privateVideo, range: { startTime: at(t0), endTime: at(t0 + 400 * dayMs) } });
  assert.deepEqual(daily.points, []);
});
