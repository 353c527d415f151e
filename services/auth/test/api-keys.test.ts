import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { createGrpcClient } from "@kino/grpc";
import { testServiceCredentials } from "@kino/grpc/testing";
import { ApiKeyScope, AuthInternalService, Role } from "@kino/proto/auth/v1";
import pg from "pg";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "keys for my servers";
const notValid = /^API key is not valid$/;

describe("API keys: create, list, revoke, verify", () => {
  let env: AuthTestEnv;
  let db: pg.Client;
  before(async () => {
    env = await startAuthTestEnv();
    db = new pg.Client({ connectionString: env.started.databaseUrl });
    await db.connect();
  });
  after(async () => {
    await db.end();
    await env.close();
  });

  async function newUser(name: string) {
    const tokens = await env.signUpVerified(uniqueEmail(name), password);
    return { userId: tokens.userId, client: env.clientFor({ userId: tokens.userId }) };
  }

  test("the secret is shown once, has the documented shape, is stored as its SHA-256 only, and verifies to its owner and scopes", async () => {
    const { userId, client } = await newUser("keymaker");
    const { apiKey, secret } = await client.createApiKey({
      name: "  build server ",
      scopes: [ApiKeyScope.VIDEOS_WRITE, ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_READ],
    });
    assert.match(secret, /^kino_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
    assert.ok(apiKey);
    assert.equal(secret.slice(5, 13), apiKey.prefix);
    assert.equal(apiKey.name, "build server");
    assert.deepEqual(apiKey.scopes, [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE]);
    assert.equal(apiKey.expireTime, undefined);
    assert.equal(apiKey.lastUsedTime, undefined);
    assert.equal(apiKey.revoked, false);

    const { rows } = await db.query("select * from api_keys where id = $1", [apiKey.keyId]);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].secret_hash, createHash("sha256").update(secret).digest());
    const stored = JSON.stringify(rows[0]);
    assert.ok(!stored.includes(secret.slice(14)), "the random part is nowhere in the row");

    const verified = await env.internal.verifyApiKey({ secret });
    assert.equal(verified.keyId, apiKey.keyId);
    assert.equal(verified.account?.userId, userId);
    assert.equal(verified.account?.role, Role.USER);
    assert.deepEqual(verified.scopes, [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE]);
    assert.equal(verified.expireTime, undefined);

    const listed = await client.listApiKeys({});
    assert.equal(listed.apiKeys.length, 1);
    assert.ok(!JSON.stringify(listed.apiKeys, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).includes(secret.slice(14)), "no secret in the list");
    assert.ok(listed.apiKeys[0]!.lastUsedTime, "the verification was recorded");
  });

  test("unknown, malformed, revoked and expired keys and disabled owners get one answer", async () => {
    const { client, userId } = await newUser("refused");
    // The clock moves between creations, so "newest first" has one answer.
    const live = await client.createApiKey({ name: "live", scopes: [ApiKeyScope.ANALYTICS_READ] });
    env.advance(1);
    const revoked = await client.createApiKey({ name: "revoked", scopes: [ApiKeyScope.VIDEOS_READ] });
    env.advance(1);
    const expiring = await client.createApiKey({
      name: "expiring",
      scopes: [ApiKeyScope.VIDEOS_READ],
      expireTime: timestampFromDate(new Date(env.now().getTime() + 3_600_000)),
    });
    await client.revokeApiKey({ keyId: revoked.apiKey!.keyId });
    await client.revokeApiKey({ keyId: revoked.apiKey!.keyId }); // again: OK

    const unknown = `kino_${live.secret.slice(5, 13)}_${"A".repeat(43)}`;
    for (const secret of [unknown, "", "kino_", live.secret.slice(0, -1), `${live.secret}x`, "x".repeat(10_000), revoked.secret]) {
      await rejectsWith(env.internal.verifyApiKey({ secret }), GrpcStatus.UNAUTHENTICATED, notValid);
    }
    assert.ok(timestampDate((await env.internal.verifyApiKey({ secret: expiring.secret })).expireTime!) > env.now());
    env.advance(3_600_000 + 1000);
    await rejectsWith(env.internal.verifyApiKey({ secret: expiring.secret }), GrpcStatus.UNAUTHENTICATED, notValid);
    await env.internal.verifyApiKey({ secret: live.secret });

    const listed = (await client.listApiKeys({})).apiKeys;
    assert.deepEqual(listed.map((k) => [k.name, k.revoked]), [["expiring", false], ["revoked", true], ["live", false]], "newest first, revoked ones included");
    assert.ok(listed[1]!.revokeTime);

    await db.query("update users set disabled_at = now() where id = $1", [userId]);
    await rejectsWith(env.internal.verifyApiKey({ secret: live.secret }), GrpcStatus.UNAUTHENTICATED, notValid);
  });

  test("last_used_time is written at most once a minute", async () => {
    const { client } = await newUser("busy");
    const { apiKey, secret } = await client.createApiKey({ name: "busy", scopes: [ApiKeyScope.VIDEOS_READ] });
    const lastUsed = async () => (await db.query("select last_used_at from api_keys where id = $1", [apiKey!.keyId])).rows[0].last_used_at as Date | null;
    assert.equal(await lastUsed(), null);
    await env.internal.verifyApiKey({ secret });
    const first = await lastUsed();
    assert.ok(first);
    env.advance(30_000);
    await env.internal.verifyApiKey({ secret });
    await env.internal.verifyApiKey({ secret });
    assert.equal((await lastUsed())!.getTime(), first.getTime(), "not written again within the minute");
    env.advance(31_000);
    await env.internal.verifyApiKey({ secret });
    assert.ok((await lastUsed())!.getTime() >= first.getTime() + 61_000, "written again after a minute");
  });

  test("scopes: at least one, known ones only; admin only for admins, and only while they are", async () => {
    const { client, userId } = await newUser("scoper");
    await rejectsWith(client.createApiKey({ name: "none", scopes: [] }), GrpcStatus.INVALID_ARGUMENT, /at least one/);
    await rejectsWith(client.createApiKey({ name: "zero", scopes: [ApiKeyScope.UNSPECIFIED] }), GrpcStatus.INVALID_ARGUMENT, /not a scope/);
    await rejectsWith(client.createApiKey({ name: "odd", scopes: [99 as ApiKeyScope] }), GrpcStatus.INVALID_ARGUMENT, /not a scope/);
    await rejectsWith(client.createApiKey({ name: "root", scopes: [ApiKeyScope.ADMIN] }), GrpcStatus.PERMISSION_DENIED, /admin/);

    await env.started.setRole(userId, "admin");
    const all = [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE, ApiKeyScope.ANALYTICS_READ, ApiKeyScope.ADMIN];
    const { secret } = await client.createApiKey({ name: "root", scopes: all });
    const verified = await env.internal.verifyApiKey({ secret });
    assert.deepEqual(verified.scopes.toSorted(), all.toSorted());
    assert.equal(verified.account?.role, Role.ADMIN);

    await env.started.setRole(userId, "user");
    assert.deepEqual((await env.internal.verifyApiKey({ secret })).scopes.toSorted(), all.filter((s) => s !== ApiKeyScope.ADMIN).toSorted(), "admin scope gone with the role");
  });

  test("names, expiry times, the limit of live keys, and paging", async () => {
    const { client } = await newUser("pager");
    await rejectsWith(client.createApiKey({ name: " ", scopes: [ApiKeyScope.VIDEOS_READ] }), GrpcStatus.INVALID_ARGUMENT, /name must not be empty/);
    await rejectsWith(client.createApiKey({ name: "x".repeat(101), scopes: [ApiKeyScope.VIDEOS_READ] }), GrpcStatus.INVALID_ARGUMENT, /name must be at most 100/);
    await rejectsWith(
      client.createApiKey({ name: "past", scopes: [ApiKeyScope.VIDEOS_READ], expireTime: timestampFromDate(new Date(env.now().getTime() - 1000)) }),
      GrpcStatus.INVALID_ARGUMENT,
      /expire_time must be in the future/,
    );
    const made: string[] = [];
    for (let i = 0; i < 50; i++) {
      made.push((await client.createApiKey({ name: `key ${i}`, scopes: [ApiKeyScope.VIDEOS_READ] })).apiKey!.keyId);
      env.advance(1);
    }
    await rejectsWith(client.createApiKey({ name: "one too many", scopes: [ApiKeyScope.VIDEOS_READ] }), GrpcStatus.RESOURCE_EXHAUSTED, /50 live API keys/);
    await client.revokeApiKey({ keyId: made[0]! });
    await client.createApiKey({ name: "key 50", scopes: [ApiKeyScope.VIDEOS_READ] });

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await client.listApiKeys({ pageSize: 20, pageToken });
      assert.ok(page.apiKeys.length <= 20);
      seen.push(...page.apiKeys.map((k) => k.name));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    assert.equal(seen.length, 51);
    assert.equal(new Set(seen).size, 51, "no key twice across pages");
    assert.equal(seen[0], "key 50");
    assert.equal(seen.at(-1), "key 0");
    await rejectsWith(client.listApiKeys({ pageSize: 201 }), GrpcStatus.INVALID_ARGUMENT, /page_size/);
    await rejectsWith(client.listApiKeys({ pageToken: "garbage" }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
  });

  test("keys are their owner's: others cannot revoke or list them", async () => {
    const owner = await newUser("owner");
    const thief = await newUser("thief");
    const { apiKey, secret } = await owner.client.createApiKey({ name: "mine", scopes: [ApiKeyScope.VIDEOS_READ] });
    await rejectsWith(thief.client.revokeApiKey({ keyId: apiKey!.keyId }), GrpcStatus.NOT_FOUND, /no API key/);
    await rejectsWith(owner.client.revokeApiKey({ keyId: "no such key" }), GrpcStatus.NOT_FOUND);
    assert.equal((await thief.client.listApiKeys({})).apiKeys.length, 0);
    await env.internal.verifyApiKey({ secret });
  });

  test("every key RPC needs a signed-in caller", async () => {
    await rejectsWith(env.client.createApiKey({ name: "anon", scopes: [ApiKeyScope.VIDEOS_READ] }), GrpcStatus.UNAUTHENTICATED, /sign in first/);
    await rejectsWith(env.client.listApiKeys({}), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.revokeApiKey({ keyId: "x" }), GrpcStatus.UNAUTHENTICATED);
  });

  test("AuthInternalService answers the gateway acting for itself only", async () => {
    const { userId } = await newUser("internal");
    const account = (await env.internal.getAccount({ userId })).account!;
    assert.equal(account.userId, userId);
    await rejectsWith(env.internal.getAccount({ userId: "0123456789abcdef0123" }), GrpcStatus.NOT_FOUND);
    await rejectsWith(env.internal.getAccount({ userId: "" }), GrpcStatus.INVALID_ARGUMENT);

    const credentials = testServiceCredentials();
    const forUser = createGrpcClient(AuthInternalService, env.started.address, { identity: credentials.minter("gateway") });
    const asTranscoder = createGrpcClient(AuthInternalService, env.started.address, { identity: credentials.minter("transcoder") });
    const unsigned = createGrpcClient(AuthInternalService, env.started.address);
    try {
      await rejectsWith(forUser.getAccount({ userId }, { onBehalfOf: { userId } }), GrpcStatus.PERMISSION_DENIED, /internal/);
      await rejectsWith(asTranscoder.verifyApiKey({ secret: "x" }), GrpcStatus.PERMISSION_DENIED);
      await rejectsWith(unsigned.getAccount({ userId }), GrpcStatus.UNAUTHENTICATED);
    } finally {
      forUser.close();
      asTranscoder.close();
      unsigned.close();
    }
  });
});
