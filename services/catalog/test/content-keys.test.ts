import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient, withCallOptions } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { ConfigError, parseConfig } from "@kino/platform";
import { ContentKeyService, ContentProtection } from "@kino/proto/catalog/v1";
import pg from "pg";
import { catalogConfigSchema } from "../src/config.ts";
import { catalogClientFor, contentKeyClientFor, lifecycleClientFor, startTestCatalog, type StartedTestCatalog } from "../src/testing.ts";

const credentials = testServiceCredentials();
const oldMaster = `old:${randomBytes(32).toString("base64")}`;
const newMaster = `new:${randomBytes(32).toString("base64")}`;
let env: StartedTestCatalog;
const closers: { close(): void }[] = [];

before(async () => {
  env = await startTestCatalog({ masterKeys: oldMaster });
});
after(async () => {
  for (const c of closers) c.close();
  await env.close();
});

function failsWith(code: GrpcStatus, message: RegExp) {
  return (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `${GrpcStatus[error.code]}: ${error.details}`);
    assert.match(error.details, message);
    return true;
  };
}

function clients(address: string) {
  const catalog = catalogClientFor(credentials, address, "owner-keys");
  const asGateway = contentKeyClientFor(credentials, address, "gateway");
  const asTranscoder = contentKeyClientFor(credentials, address, "transcoder");
  closers.push(catalog, asGateway, asTranscoder);
  return { catalog, asGateway, asTranscoder };
}

async function storedKey(databaseUrl: string, videoId: string): Promise<{ master_key_id: string; wrapped_key: Buffer } | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ master_key_id: string; wrapped_key: Buffer }>("select master_key_id, wrapped_key from video_content_keys where video_id = $1", [videoId]);
    return rows[0];
  } finally {
    await client.end();
  }
}

test("a protected video gets a random 16-byte key at creation, stored wrapped (not the clear key), the same for the gateway and the transcoder", async () => {
  const { catalog, asGateway, asTranscoder } = clients(env.address);
  const { video } = await catalog.createVideo({ title: "protected", contentProtection: ContentProtection.AES_128 });
  assert.equal(video!.contentProtection, ContentProtection.AES_128);
  const fromGateway = await asGateway.getContentKey({ videoId: video!.id });
  const fromTranscoder = await asTranscoder.getContentKey({ videoId: video!.id });
  assert.equal(fromGateway.key.length, 16);
  assert.deepEqual(Buffer.from(fromTranscoder.key), Buffer.from(fromGateway.key));
  assert.equal(fromGateway.masterKeyId, "old");

  const row = await storedKey(env.databaseUrl, video!.id);
  assert.ok(row, "a row in video_content_keys");
  assert.equal(row.master_key_id, "old");
  assert.equal(row.wrapped_key.length, 12 + 16 + 16, "iv, ciphertext, GCM tag");
  assert.equal(row.wrapped_key.indexOf(Buffer.from(fromGateway.key)), -1, "the clear key appears nowhere in the stored bytes");

  const other = await catalog.createVideo({ title: "protected too", contentProtection: ContentProtection.AES_128 });
  const otherKey = await asGateway.getContentKey({ videoId: other.video!.id });
  assert.notDeepEqual(Buffer.from(otherKey.key), Buffer.from(fromGateway.key), "a key per video");
});

test("an unprotected video is NONE and has no key; only the gateway and transcoders, for no user, get keys", async () => {
  const { catalog, asGateway } = clients(env.address);
  const plain = await catalog.createVideo({ title: "plain" });
  assert.equal(plain.video!.contentProtection, ContentProtection.NONE);
  await assert.rejects(asGateway.getContentKey({ videoId: plain.video!.id }), failsWith(GrpcStatus.FAILED_PRECONDITION, /not protected/));
  assert.equal(await storedKey(env.databaseUrl, plain.video!.id), undefined);
  await assert.rejects(asGateway.getContentKey({ videoId: "aaaaaaaaaaaaaaaaaaaa" }), failsWith(GrpcStatus.NOT_FOUND, /not found/));
  await assert.rejects(catalog.createVideo({ title: "x", contentProtection: 7 as ContentProtection }), failsWith(GrpcStatus.INVALID_ARGUMENT, /content_protection/));

  const { video } = await catalog.createVideo({ title: "protected", contentProtection: ContentProtection.AES_128 });
  const search = contentKeyClientFor(credentials, env.address, "search");
  const forUser = withCallOptions(createGrpcClient(ContentKeyService, env.address, { identity: credentials.minter("gateway") }), { onBehalfOf: { userId: "owner-keys", role: "admin" } });
  closers.push(search, forUser);
  await assert.rejects(search.getContentKey({ videoId: video!.id }), failsWith(GrpcStatus.PERMISSION_DENIED, /./));
  await assert.rejects(forUser.getContentKey({ videoId: video!.id }), failsWith(GrpcStatus.PERMISSION_DENIED, /./));
});

test("GetPlayback says the video is protected, so the origin can ask for a token", async () => {
  const { catalog } = clients(env.address);
  const lifecycle = lifecycleClientFor(credentials, env.address);
  closers.push(lifecycle);
  const { video } = await catalog.createVideo({ title: "protected", contentProtection: ContentProtection.AES_128 });
  const videoId = video!.id;
  const source = { durationSeconds: 2, width: 320, height: 180, frameRate: 24, hasAudio: false, sizeBytes: 1000n, videoCodec: "h264" };
  await lifecycle.markUploaded({ videoId, sourceKey: `raw/${videoId}/source`, source });
  const started = await lifecycle.startProcessing({ videoId });
  assert.equal(started.video!.contentProtection, ContentProtection.AES_128, "the transcoder learns it from StartProcessing");
  await lifecycle.markReady({ videoId, outputId: "out1", durationSeconds: 2 });
  const playback = await lifecycle.getPlayback({ videoId });
  assert.equal(playback.contentProtection, ContentProtection.AES_128);
});

test("the master key rotates: a catalog holding the new key first and the old one after unwraps old keys and wraps new ones under the new; without the old key, old keys are refused", async () => {
  const { catalog, asGateway } = clients(env.address);
  const { video } = await catalog.createVideo({ title: "before rotation", contentProtection: ContentProtection.AES_128 });
  const before = await asGateway.getContentKey({ videoId: video!.id });

  const rotated = await startTestCatalog({ databaseUrl: env.databaseUrl, natsPrefix: env.natsPrefix, masterKeys: `${newMaster},${oldMaster}` });
  try {
    const r = clients(rotated.address);
    const again = await r.asGateway.getContentKey({ videoId: video!.id });
    assert.deepEqual(Buffer.from(again.key), Buffer.from(before.key));
    assert.equal(again.masterKeyId, "old");
    const fresh = await r.catalog.createVideo({ title: "after rotation", contentProtection: ContentProtection.AES_128 });
    assert.equal((await r.asGateway.getContentKey({ videoId: fresh.video!.id })).masterKeyId, "new");
  } finally {
    await rotated.close();
  }
  const newOnly = await startTestCatalog({ databaseUrl: env.databaseUrl, natsPrefix: env.natsPrefix, masterKeys: newMaster });
  try {
    await assert.rejects(clients(newOnly.address).asGateway.getContentKey({ videoId: video!.id }), failsWith(GrpcStatus.FAILED_PRECONDITION, /master key "old"/));
  } finally {
    await newOnly.close();
  }
  const none = await startTestCatalog({ databaseUrl: env.databaseUrl, natsPrefix: env.natsPrefix, masterKeys: "" });
  try {
    await assert.rejects(clients(none.address).catalog.createVideo({ title: "x", contentProtection: ContentProtection.AES_128 }), failsWith(GrpcStatus.FAILED_PRECONDITION, /KINO_MEDIA_MASTER_KEY/));
  } finally {
    await none.close();
  }
});

test("a bad KINO_MEDIA_MASTER_KEY stops the catalog with a line naming the variable, never echoing the key", () => {
  const secretish = randomBytes(16).toString("base64");
  const cases: [string, RegExp][] = [
    [secretish, /entry 1 must be <id>:<base64 key>/],
    [`k1:${secretish}`, /key "k1" must be 32 bytes in base64 \(AES-256\), got 16 bytes/],
    [`k1:not base64!${secretish}`, /not base64/],
    [`k1:${randomBytes(32).toString("base64")},k1:${randomBytes(32).toString("base64")}`, /appears twice/],
    [`K 1:${randomBytes(32).toString("base64")}`, /entry 1/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseConfig({ masterKeys: catalogConfigSchema.masterKeys }, { KINO_MEDIA_MASTER_KEY: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.variable, "KINO_MEDIA_MASTER_KEY");
        assert.match(error.message, /^KINO_MEDIA_MASTER_KEY: /);
        assert.match(error.message, message);
        assert.ok(!error.message.includes(secretish), "the key material is not in the message");
        return true;
      },
    );
  }
});
