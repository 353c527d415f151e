import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { defaultTiers, startTestAccounts, type TestAccounts, type TestUser } from "@kino/auth-service/test-accounts";
import { CatalogService, VideoStatus } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { tusUpload } from "./tus-client.ts";
import { makeTestMedia, startUploadCatalog, startUploadHost, type TestMedia, type UploadCatalog, type UploadHost } from "./upload-test-stack.ts";

let accounts: TestAccounts;
let stack: UploadCatalog;
let host: UploadHost;
let media: TestMedia;
let clip: Buffer;
let user: TestUser;

const MAX_SIZE = 50 * 1024 * 1024;

before(async () => {
  [stack, media] = await Promise.all([startUploadCatalog(), makeTestMedia()]);
  clip = await readFile(media.clip);
  // A free tier small enough to reach with test clips: room for one and a half clips, three uploads a day.
  const free = { maxUploadBytes: 4 * clip.length, maxStorageBytes: Math.floor(1.5 * clip.length), maxUploadsPerDay: 3 };
  accounts = await startTestAccounts({ tiers: { ...defaultTiers, free } });
  host = await startUploadHost(stack, {
    hostId: "host-q",
    maxSizeBytes: MAX_SIZE,
    config: { authUrl: accounts.authUrl, accessTokenIssuer: accounts.gatewayEnv.KINO_AUTH_ISSUER!, accessTokenAudience: accounts.gatewayEnv.KINO_AUTH_AUDIENCE! },
  });
  user = await accounts.createUser("quota");
});
after(async () => {
  await host.close();
  await stack.close();
  await accounts.close();
  await media.dir.remove();
});

function clients(key: string): { uploads: Client<typeof UploadService>; videos: Client<typeof CatalogService> } {
  const transport = createConnectTransport({
    baseUrl: host.baseUrl,
    httpVersion: "1.1",
    interceptors: [(next) => (request) => (request.header.set("authorization", `Bearer ${key}`), next(request))],
  });
  return { uploads: createClient(UploadService, transport), videos: createClient(CatalogService, transport) };
}

async function exhausted(call: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.ResourceExhausted, e.rawMessage);
    assert.match(e.rawMessage, pattern);
    return true;
  });
}

test("a free-tier upload over its quotas is refused at CreateUpload, before any byte moves, naming the limit and the usage", async () => {
  const { uploads, videos } = clients(user.apiKey);
  await exhausted(uploads.createUpload({ title: "too big", sizeBytes: BigInt(4 * clip.length + 1) }), /over the free tier's largest upload of .*\(\d+ bytes\)/);
  assert.equal((await videos.listVideos({ ownerId: user.userId })).videos.length, 0, "no video was created for a refused upload");

  const first = await uploads.createUpload({ title: "fits", sizeBytes: BigInt(clip.length) });
  assert.equal(first.maxSizeBytes, BigInt(Math.floor(1.5 * clip.length)), "the URL takes at most what is left of the storage");
  assert.equal((await tusUpload(first.uploadUrl, clip, { withCreation: true })).error, undefined);
  assert.equal((await videos.getVideo({ id: first.video!.id })).video!.status, VideoStatus.UPLOADED);
  const usage = await videos.getUsage({});
  assert.equal(usage.storedBytes, BigInt(clip.length));
  assert.equal(usage.videosCreatedToday, 1);

  await exhausted(
    uploads.createUpload({ title: "no room", sizeBytes: BigInt(clip.length) }),
    new RegExp(`free tier stores .*; your videos take .*\\(${clip.length} bytes\\), and this file is`),
  );
  // Without a declared size the URL is bounded by what is left, so the quota holds at the tus endpoint too.
  const second = await uploads.createUpload({ title: "size unknown" });
  assert.equal(second.maxSizeBytes, BigInt(Math.floor(1.5 * clip.length) - clip.length));
  const overflow = await tusUpload(second.uploadUrl, clip, { withCreation: true });
  assert.ok(overflow.error, "a file over what is left is refused by the upload endpoint");

  await uploads.createUpload({ title: "third today" });
  await exhausted(uploads.createUpload({ title: "fourth today" }), /allows 3 uploads per day \(UTC\); you have started 3 today/);
});

test("a user of another tier is held to that tier's limits, and deleting videos frees storage", async () => {
  const other = await accounts.createUser("roomy");
  const { uploads, videos } = clients(other.apiKey);
  const made = await uploads.createUpload({ title: "one", sizeBytes: BigInt(clip.length) });
  await tusUpload(made.uploadUrl, clip, { withCreation: true });
  await exhausted(uploads.createUpload({ title: "two", sizeBytes: BigInt(clip.length) }), /free tier stores/);
  await videos.deleteVideo({ id: made.video!.id });
  assert.equal((await videos.getUsage({})).storedBytes, 0n);
  await uploads.createUpload({ title: "two", sizeBytes: BigInt(clip.length) });
});
