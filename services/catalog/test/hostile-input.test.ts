import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { callerAssertionMetadataKey } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { startTestCatalog, type CatalogClient, type TestCatalog } from "./start-test-catalog.ts";

async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<ServiceError> {
  let caught: ServiceError | undefined;
  await assert.rejects(promise, (error: ServiceError) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    caught = error;
    return true;
  });
  return caught!;
}

const gateway = testServiceCredentials().minter("gateway");

/** Sends raw bytes as the request of `method`, as a client of another stack with a bug might. */
function rawUnary(address: string, method: string, body: Buffer, callerId?: string): Promise<Buffer> {
  const client = new Client(address, credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  const metadata = new Metadata();
  metadata.set(callerAssertionMetadataKey, gateway.assertionFor("kino.catalog.v1.CatalogService", callerId ? { userId: callerId } : {}));
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(
      `/kino.catalog.v1.CatalogService/${method}`,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      metadata,
      (error, response) => (error ? reject(error) : resolve(response!)),
    );
  }).finally(() => client.close());
}

describe("catalog: client mistakes are client errors that say what was wrong", () => {
  let env: TestCatalog;
  let alice: CatalogClient;

  before(async () => {
    env = await startTestCatalog();
    alice = env.clientAs("alice");
  });
  after(() => env.close());

  test("NUL and other control characters in descriptions are refused, not a database error", async () => {
    await rejectsWith(alice.createVideo({ title: "t", description: "a\u0000b" }), GrpcStatus.INVALID_ARGUMENT, /description must not contain control characters other than tab and newline: found U\+0000 at character 2/);
    const { video } = await alice.createVideo({ title: "t", description: "fine" });
    await rejectsWith(alice.updateVideo({ id: video!.id, description: "x\u0000" }), GrpcStatus.INVALID_ARGUMENT, /U\+0000/);
    await rejectsWith(alice.updateVideo({ id: video!.id, title: "x\u0000" }), GrpcStatus.INVALID_ARGUMENT, /title must not contain control characters/);
    // ANSI colour escapes (ESC [) and the 8-bit CSI are control characters too.
    await rejectsWith(alice.createVideo({ title: "t", description: "\u001b[31mred\u001b[0m" }), GrpcStatus.INVALID_ARGUMENT, /U\+001B/);
    await rejectsWith(alice.createVideo({ title: "t", description: "\u009b31m" }), GrpcStatus.INVALID_ARGUMENT, /U\+009B/);
    await rejectsWith(alice.createVideo({ title: "a\tb" }), GrpcStatus.INVALID_ARGUMENT, /title must not contain control characters/);
    const after = await alice.getVideo({ id: video!.id });
    assert.equal(after.video!.description, "fine", "a refused update changes nothing");
  });

  test("descriptions keep tab and newline; CRLF is stored as LF", async () => {
    const { video } = await alice.createVideo({ title: "lines", description: "one\r\ntwo\tthree\n" });
    assert.equal(video!.description, "one\ntwo\tthree\n");
  });

  test("a page token whose position overflows int64 is InvalidArgument", async () => {
    const token = (s: string) => Buffer.from(JSON.stringify({ v: 1, s, o: "", st: "" })).toString("base64url");
    await rejectsWith(alice.listVideos({ pageToken: token("9999999999999999999") }), GrpcStatus.INVALID_ARGUMENT, /page_token is malformed/);
    await rejectsWith(alice.listVideos({ pageToken: token("9223372036854775808") }), GrpcStatus.INVALID_ARGUMENT, /page_token is malformed/);
    const lastValid = await alice.listVideos({ pageToken: token("9223372036854775807") });
    assert.ok(Array.isArray(lastValid.videos), "the largest bigint is still a position");
  });

  test("an owner filter that is not an owner id is InvalidArgument", async () => {
    await rejectsWith(alice.listVideos({ ownerId: "a\u0000b" }), GrpcStatus.INVALID_ARGUMENT, /owner_id must be/);
    await rejectsWith(alice.listVideos({ ownerId: "x".repeat(65) }), GrpcStatus.INVALID_ARGUMENT, /owner_id must be/);
  });

  test("a megabyte-long id is refused without being echoed", async () => {
    const error = await rejectsWith(alice.getVideo({ id: "a".repeat(1024 * 1024) }), GrpcStatus.INVALID_ARGUMENT, /id must be a video id/);
    assert.ok(error.details.length < 200, `the message is ${error.details.length} characters`);
    await rejectsWith(env.lifecycle.markFailed({ videoId: "z".repeat(100_000), reason: "x" }), GrpcStatus.INVALID_ARGUMENT, /video_id must be a video id/);
  });

  test("bytes that are not a protobuf message are InvalidArgument naming the message", async () => {
    // Field 1 (id), length-delimited, claims 100 bytes and has 3.
    await rejectsWith(rawUnary(env.address, "GetVideo", Buffer.from([0x0a, 100, 1, 2, 3])), GrpcStatus.INVALID_ARGUMENT, /not a valid kino\.catalog\.v1\.GetVideoRequest/);
    await rejectsWith(rawUnary(env.address, "ListVideos", Buffer.from([0xff, 0xff, 0xff])), GrpcStatus.INVALID_ARGUMENT, /not a valid kino\.catalog\.v1\.ListVideosRequest/);
  });

  test("a 9 MB message is ResourceExhausted with the size and the limit", async () => {
    const huge = Buffer.concat([Buffer.from([0x0a, 0x80, 0x80, 0xa4, 0x04]), Buffer.alloc(9 * 1000 * 1000, 0x61)]);
    await rejectsWith(rawUnary(env.address, "CreateVideo", huge, "alice"), GrpcStatus.RESOURCE_EXHAUSTED, /kino\.catalog\.v1\.CreateVideoRequest message is 9000005 bytes; the limit is 8388608 bytes/);
    // The server is still there for everyone else.
    assert.equal((await alice.createVideo({ title: "after" })).video!.title, "after");
  });

  test("failure reasons from ffmpeg keep their text, not their escapes", async () => {
    const { video } = await alice.createVideo({ title: "fails" });
    const failed = await env.lifecycle.markFailed({ videoId: video!.id, reason: "\u001b[1;31mInvalid data\u001b[0m\u0000 found" });
    assert.equal(failed.video!.failureReason, "Invalid data found");
  });
});
