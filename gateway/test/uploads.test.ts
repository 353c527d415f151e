import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect, type IncomingHttpHeaders } from "node:http2";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { VideoStatus } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { createLocalStorage, rawKey, rawPrefix } from "@kino/storage";
import { createTempDir } from "@kino/testkit";
import { EXPIRED_REASON } from "../src/upload/index.ts";
import { alice, bobKey } from "./start-test-stack.ts";
import { tusUpload } from "./tus-client.ts";
import { makeTestMedia, startUploadCatalog, startUploadHost, type TestMedia, type UploadCatalog, type UploadHost } from "./upload-test-stack.ts";

const MAX_SIZE = 1024 * 1024;
const CHUNK = 16 * 1024;

let stack: UploadCatalog;
let hostA: UploadHost;
let hostB: UploadHost;
let media: TestMedia;
let clip: Buffer;

before(async () => {
  [stack, media] = await Promise.all([startUploadCatalog(), makeTestMedia()]);
  const peersOfA = new Map<string, string>();
  const peersOfB = new Map<string, string>();
  [hostA, hostB] = await Promise.all([
    startUploadHost(stack, { hostId: "host-a", maxSizeBytes: MAX_SIZE, peers: peersOfA }),
    startUploadHost(stack, { hostId: "host-b", maxSizeBytes: MAX_SIZE, peers: peersOfB }),
  ]);
  peersOfA.set("host-b", hostB.baseUrl);
  peersOfB.set("host-a", hostA.baseUrl);
  clip = await readFile(media.clip);
  assert.ok(clip.length > 4 * CHUNK, `the test clip must span several chunks, it has ${clip.length} bytes`);
});

after(async () => {
  await Promise.all([hostA?.close(), hostB?.close()]);
  await stack?.close();
  await media?.dir.remove();
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function storedSource(videoId: string): Promise<Buffer> {
  const { body } = await stack.storage.get(rawKey(videoId, "source"));
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function storedKeys(videoId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of stack.storage.list(rawPrefix(videoId))) keys.push(object.key);
  return keys;
}

async function assertHealthy(host: UploadHost) {
  const response = await fetch(`${host.baseUrl}/healthz`);
  assert.equal(response.status, 200);
}

function tus(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer) {
  return fetch(url, { method, headers: { "Tus-Resumable": "1.0.0", ...headers }, ...(body ? { body: new Uint8Array(body) } : {}) });
}

describe("CreateUpload", () => {
  test("creates an UPLOADING video with an expiring tus URL and the size limit", async () => {
    const before = Date.now();
    const response = await hostA.uploads.createUpload({ title: "holiday", sizeBytes: BigInt(clip.length) });
    assert.equal(response.video?.status, VideoStatus.UPLOADING);
    assert.equal(response.video?.ownerId, alice.userId);
    assert.ok(response.uploadUrl.startsWith(`${hostA.baseUrl}/uploads/`));
    assert.equal(response.maxSizeBytes, BigInt(MAX_SIZE));
    const expires = Number(response.expireTime!.seconds) * 1000;
    assert.ok(expires >= before + 24 * 3600_000 - 1000 && expires <= Date.now() + 24 * 3600_000);
  });

  test("needs an API key and refuses a declared size over the limit, naming it", async () => {
    const anonymous = createClient(UploadService, createConnectTransport({ baseUrl: hostA.baseUrl, httpVersion: "1.1" }));
    await assert.rejects(anonymous.createUpload({ title: "x" }), (error) => ConnectError.from(error).code === Code.Unauthenticated);
    await assert.rejects(hostA.uploads.createUpload({ title: "big", sizeBytes: BigInt(MAX_SIZE + 1) }), (error) => {
      const connectError = ConnectError.from(error);
      assert.equal(connectError.code, Code.InvalidArgument);
      assert.match(connectError.rawMessage, /over the upload limit of 1 MiB/);
      return true;
    });
  });
});

describe("tus uploads", () => {
  test("a clip sent in chunks with tus-js-client, interrupted and resumed once, becomes UPLOADED", async () => {
    const { video, uploadUrl } = await hostA.uploads.createUpload({ title: "resumed" });
    const first = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, abortAfterBytes: 2 * CHUNK });
    assert.equal(first.error, undefined);
    assert.ok(first.url, "the upload was created");
    const head = await tus("HEAD", first.url);
    assert.equal(head.headers.get("upload-offset"), String(2 * CHUNK));
    assert.ok(head.headers.get("upload-expires"), "an unfinished upload says when it expires");
    assert.equal((await hostA.getVideo(video!.id)).status, VideoStatus.UPLOADING);

    const resumed = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, uploadUrl: first.url });
    assert.equal(resumed.error, undefined);
    const uploaded = await hostA.getVideo(video!.id);
    assert.equal(uploaded.status, VideoStatus.UPLOADED);
    assert.ok(uploaded.durationSeconds > 2.5 && uploaded.durationSeconds < 3.5, `duration ${uploaded.durationSeconds}`);
    assert.equal(sha256(await storedSource(video!.id)), sha256(clip));
    assert.deepEqual(await hostA.stagedFiles(), []);

    // A client that lost the last answer asks again and learns the upload is complete.
    const again = await tus("HEAD", first.url);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("upload-offset"), String(clip.length));
  });

  test("a resume sent to another gateway host is proxied to the host that stages the file", async () => {
    const { video, uploadUrl } = await hostA.uploads.createUpload({ title: "roaming" });
    const first = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, abortAfterBytes: CHUNK });
    const stagedAtA = first.url ?? "";
    assert.ok(stagedAtA.startsWith(`${hostA.baseUrl}/uploads/host-a.`), stagedAtA);
    const viaB = stagedAtA.replace(hostA.baseUrl, hostB.baseUrl);
    const resumed = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, uploadUrl: viaB });
    assert.equal(resumed.error, undefined);
    assert.equal((await hostA.getVideo(video!.id)).status, VideoStatus.UPLOADED);
    assert.equal(sha256(await storedSource(video!.id)), sha256(clip));
    assert.deepEqual(await hostA.stagedFiles(), []);
    assert.deepEqual(await hostB.stagedFiles(), []);
    const unknownHost = await tus("HEAD", stagedAtA.replace("/host-a.", "/host-z."));
    assert.equal(unknownHost.status, 404);
  });

  test("an expired or forged upload URL is refused with a clear answer", async () => {
    const { video } = await hostA.uploads.createUpload({ title: "late" });
    const expired = stack.tokens.issue({ videoId: video!.id, ownerId: "alice", exp: Date.now() - 1000, maxSize: MAX_SIZE });
    const late = await tus("POST", `${hostA.baseUrl}/uploads/${expired}`, { "Upload-Length": "10" });
    assert.equal(late.status, 410);
    assert.match(await late.text(), /upload URL expired at .*create a new upload/);

    const genuine = stack.tokens.issue({ videoId: video!.id, ownerId: "alice", exp: Date.now() + 60_000, maxSize: MAX_SIZE });
    const [payload] = genuine.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ v: video!.id, o: "alice", e: Date.now() + 60_000, m: 1e12 })).toString("base64url");
    for (const token of [`${forgedPayload}.${genuine.split(".")[1]}`, `${payload}.AAAA`, "not-a-token"]) {
      const forged = await tus("POST", `${hostA.baseUrl}/uploads/${token}`, { "Upload-Length": "10" });
      assert.equal(forged.status, 403);
      assert.match(await forged.text(), /upload URL is not valid/);
    }
    assert.deepEqual(await hostA.stagedFiles(), []);
  });

  test("a chunk whose sha1 does not match is answered 460 and discarded; the right one is kept", async () => {
    const { uploadUrl } = await hostA.uploads.createUpload({ title: "checked" });
    const created = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length) });
    assert.equal(created.status, 201);
    const location = created.headers.get("location")!;
    const chunk = clip.subarray(0, CHUNK);
    const sha1 = (bytes: Uint8Array) => createHash("sha1").update(bytes).digest("base64");
    const patch = (checksum: string) =>
      tus("PATCH", location, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Checksum": checksum }, chunk);

    const wrong = await patch(`sha1 ${sha1(Buffer.from("something else"))}`);
    assert.equal(wrong.status, 460);
    assert.equal((await tus("HEAD", location)).headers.get("upload-offset"), "0");
    assert.equal((await patch("crc32 AAAA")).status, 400);

    const right = await patch(`sha1 ${sha1(chunk)}`);
    assert.equal(right.status, 204);
    assert.equal(right.headers.get("upload-offset"), String(CHUNK));

    const options = await fetch(`${hostA.baseUrl}/uploads/`, { method: "OPTIONS" });
    assert.match(options.headers.get("tus-extension") ?? "", /checksum/);
    assert.match(options.headers.get("tus-checksum-algorithm") ?? "", /sha1/);
    assert.equal(options.headers.get("tus-max-size"), String(MAX_SIZE));
  });

  test("a video takes one upload: a second creation is a conflict unless the first was terminated", async () => {
    const { uploadUrl } = await hostA.uploads.createUpload({ title: "once" });
    const first = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length) });
    assert.equal(first.status, 201);
    const second = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length) });
    assert.equal(second.status, 409);
    assert.match(await second.text(), /already has an upload in progress/);

    const terminated = await tus("DELETE", first.headers.get("location")!);
    assert.equal(terminated.status, 204);
    assert.equal((await tus("HEAD", first.headers.get("location")!)).status, 404);
    const third = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, withCreation: true });
    assert.equal(third.error, undefined);
    const after = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length) });
    assert.equal(after.status, 409);
    assert.match(await after.text(), /already been uploaded/);
  });

  test("the upload URL alice was given is refused to bob's credentials, when creating and when patching", async () => {
    const { uploadUrl } = await hostA.uploads.createUpload({ title: "alice's" });
    const asBob = { authorization: `Bearer ${bobKey}` };
    const stolen = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length), ...asBob });
    assert.equal(stolen.status, 403);
    assert.match(await stolen.text(), /issued to another account/);
    const created = await tus("POST", uploadUrl, { "Upload-Length": String(clip.length) });
    assert.equal(created.status, 201, "the URL itself stays a capability for tus clients without credentials");
    const location = created.headers.get("location")!;
    const patched = await tus("PATCH", location, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", ...asBob }, clip.subarray(0, 10));
    assert.equal(patched.status, 403);
    assert.equal((await tus("HEAD", location)).headers.get("upload-offset"), "0", "bob's bytes did not land");
    const badKey = await tus("HEAD", location, { authorization: "Bearer kino_abcdefgh_not-a-key" });
    assert.equal(badKey.status, 401);
  });

  test("an upload whose URL has expired answers 410 Gone", async () => {
    const { video } = await hostA.uploads.createUpload({ title: "short-lived" });
    const token = stack.tokens.issue({ videoId: video!.id, ownerId: "alice", exp: Date.now() + 500, maxSize: MAX_SIZE });
    const created = await tus("POST", `${hostA.baseUrl}/uploads/${token}`, { "Upload-Length": String(clip.length) });
    assert.equal(created.status, 201);
    assert.ok(Date.parse(created.headers.get("upload-expires")!) <= Date.now() + 500);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const late = await tus("PATCH", created.headers.get("location")!, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, clip);
    assert.equal(late.status, 410);
    assert.match(await late.text(), /this upload expired at/);
  });

  test("an upload left unfinished past its URL's expiry is swept: staged file deleted, video FAILED", async () => {
    const host = await startUploadHost(stack, { hostId: "host-c", maxSizeBytes: MAX_SIZE });
    try {
      const { video, uploadUrl } = await host.uploads.createUpload({ title: "abandoned" });
      const partial = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, abortAfterBytes: CHUNK });
      assert.equal((await host.stagedFiles()).length, 2, "the partial file and its info");
      assert.equal(await host.route.sweepExpired(Date.now()), 0, "nothing has expired yet");
      assert.equal(await host.route.sweepExpired(Date.now() + 25 * 3600_000), 1);
      assert.deepEqual(await host.stagedFiles(), []);
      const failed = await host.getVideo(video!.id);
      assert.equal(failed.status, VideoStatus.FAILED);
      assert.equal(failed.failureReason, EXPIRED_REASON);
      assert.equal((await tus("HEAD", partial.url!)).status, 404);
      assert.deepEqual(await storedKeys(video!.id), []);
      await assertHealthy(host);
    } finally {
      await host.close();
    }
  });

  test("storage down at the end: 503, the file stays staged, and the client's retry finishes the upload", async () => {
    const scratch = await createTempDir("kino-upload-broken-");
    const root = join(scratch.path, "storage");
    // A regular file where the storage directory should be: every write fails.
    await writeFile(root, "");
    const storage = createLocalStorage({ root });
    const host = await startUploadHost(stack, { hostId: "host-d", maxSizeBytes: MAX_SIZE, storage });
    try {
      const { video, uploadUrl } = await host.uploads.createUpload({ title: "patient" });
      const first = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK });
      assert.equal(first.error?.status, 503);
      assert.match(first.error.body, /storage is unavailable; repeat the request/);
      assert.equal((await host.stagedFiles()).length, 2, "the complete file and its info are kept for the retry");
      assert.equal((await host.getVideo(video!.id)).status, VideoStatus.UPLOADING);
      assert.equal((await tus("HEAD", first.url!)).status, 423, "still down: retry later");

      await rm(root);
      await mkdir(root);
      const retried = await tusUpload(uploadUrl, clip, { chunkSize: CHUNK, uploadUrl: first.url! });
      assert.equal(retried.error, undefined);
      assert.equal((await host.getVideo(video!.id)).status, VideoStatus.UPLOADED);
      const { body } = await storage.get(rawKey(video!.id, "source"));
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      assert.equal(sha256(Buffer.concat(chunks)), sha256(clip));
      assert.deepEqual(await host.stagedFiles(), []);
    } finally {
      await host.close();
      await storage.close();
      await scratch.remove();
    }
  });

  test("tus works over HTTP/2 (h2c) as well as HTTP/1.1", async () => {
    const { video, uploadUrl } = await hostA.uploads.createUpload({ title: "over h2" });
    const session = connect(hostA.baseUrl);
    const send = (headers: Record<string, string | number>, body?: Buffer) =>
      new Promise<IncomingHttpHeaders>((resolve, reject) => {
        const stream = session.request({ "tus-resumable": "1.0.0", ...headers });
        stream.once("response", resolve);
        stream.once("error", reject);
        stream.resume();
        stream.end(body);
      });
    try {
      const created = await send({ ":method": "POST", ":path": new URL(uploadUrl).pathname, "upload-length": clip.length });
      assert.equal(created[":status"], 201);
      const path = new URL(String(created.location)).pathname;
      const patched = await send({ ":method": "PATCH", ":path": path, "upload-offset": 0, "content-type": "application/offset+octet-stream" }, clip);
      assert.equal(patched[":status"], 204);
      assert.equal(patched["upload-offset"], String(clip.length));
    } finally {
      session.close();
    }
    assert.equal((await hostA.getVideo(video!.id)).status, VideoStatus.UPLOADED);
  });
});
