import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ApiKeyScope, Role } from "@kino/proto/auth/v1";
import { defaultTiers, type Tiers } from "../src/tiers.ts";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "accounts and tiers";
const gib = 1024n ** 3n;
// Limits of our own, so the test shows they come from the settings.
const tiers: Tiers = { free: defaultTiers.free, pro: { maxUploadBytes: 64 * 1024 ** 3, maxStorageBytes: 2048 * 1024 ** 3, maxUploadsPerDay: 1000 } };

describe("profiles, tiers and admin RPCs", () => {
  let env: AuthTestEnv;
  let admin: { userId: string; client: ReturnType<AuthTestEnv["clientFor"]> };
  before(async () => {
    env = await startAuthTestEnv({ tiers });
    const tokens = await env.signUpVerified(uniqueEmail("admin"), password);
    await env.started.setRole(tokens.userId, "admin");
    admin = { userId: tokens.userId, client: env.clientFor({ userId: tokens.userId }) };
  });
  after(() => env.close());

  async function newUser(name: string) {
    const email = uniqueEmail(name);
    const tokens = await env.signUpVerified(email, password);
    return { email, tokens, userId: tokens.userId, client: env.clientFor({ userId: tokens.userId }) };
  }

  test("GetMe: a new account is a verified user of the free tier, with the free limits", async () => {
    const before = Date.now();
    const { email, userId, client } = await newUser("newcomer");
    const { account } = await client.getMe({});
    assert.ok(account);
    assert.equal(account.userId, userId);
    assert.equal(account.email, email);
    assert.equal(account.displayName, "Test User");
    assert.equal(account.role, Role.USER);
    assert.equal(account.tier, "free");
    assert.deepEqual(
      { ...account.limits, $typeName: undefined },
      { $typeName: undefined, maxUploadBytes: 2n * gib, maxStorageBytes: 10n * gib, maxUploadsPerDay: 20 },
    );
    assert.equal(account.disabled, false);
    assert.equal(account.emailVerified, true);
    assert.ok(Math.abs(timestampDate(account.createTime!).getTime() - before) < 60_000);
    await rejectsWith(env.client.getMe({}), GrpcStatus.UNAUTHENTICATED, /sign in first/);
  });

  test("UpdateProfile follows the display name rules", async () => {
    const { client } = await newUser("renamer");
    assert.equal((await client.updateProfile({ displayName: "  Zoë Ångström " })).account?.displayName, "Zoë Ångström");
    assert.equal((await client.getMe({})).account?.displayName, "Zoë Ångström");
    await rejectsWith(client.updateProfile({ displayName: " " }), GrpcStatus.INVALID_ARGUMENT, /display_name must not be empty/);
    await rejectsWith(client.updateProfile({ displayName: "x".repeat(101) }), GrpcStatus.INVALID_ARGUMENT, /at most 100/);
    await rejectsWith(client.updateProfile({ displayName: "bell\u0007" }), GrpcStatus.INVALID_ARGUMENT, /control characters/);
    await rejectsWith(env.client.updateProfile({ displayName: "anon" }), GrpcStatus.UNAUTHENTICATED);
  });

  test("admin RPCs are refused to users, whatever role their assertion claims", async () => {
    const { userId, client } = await newUser("pretender");
    const claimsAdmin = env.clientFor({ userId, role: "admin" });
    for (const c of [client, claimsAdmin]) {
      await rejectsWith(c.listUsers({}), GrpcStatus.PERMISSION_DENIED, /only an admin/);
      await rejectsWith(c.setUserTier({ userId, tier: "pro" }), GrpcStatus.PERMISSION_DENIED);
      await rejectsWith(c.setUserDisabled({ userId: admin.userId, disabled: true }), GrpcStatus.PERMISSION_DENIED);
    }
    await rejectsWith(env.client.listUsers({}), GrpcStatus.UNAUTHENTICATED);
    assert.equal((await client.getMe({})).account?.tier, "free");
  });

  test("SetUserTier moves an account to pro with the configured limits", async () => {
    const { userId, client } = await newUser("upgrader");
    const { account } = await admin.client.setUserTier({ userId, tier: "pro" });
    assert.equal(account?.tier, "pro");
    assert.equal(account?.limits?.maxUploadBytes, 64n * gib);
    assert.equal((await client.getMe({})).account?.limits?.maxUploadsPerDay, 1000);
    assert.equal((await env.internal.getAccount({ userId })).account?.tier, "pro");
    await rejectsWith(admin.client.setUserTier({ userId, tier: "gold" }), GrpcStatus.INVALID_ARGUMENT, /free, pro/);
    await rejectsWith(admin.client.setUserTier({ userId: "0123456789abcdef0123", tier: "pro" }), GrpcStatus.NOT_FOUND);
  });

  test("SetUserDisabled: sessions end, sign-in and keys stop, GetAccount says so; enabling brings keys back", async () => {
    const { email, tokens, userId, client } = await newUser("troublemaker");
    const { secret } = await client.createApiKey({ name: "server", scopes: [ApiKeyScope.VIDEOS_READ] });

    const disabled = await admin.client.setUserDisabled({ userId, disabled: true });
    assert.equal(disabled.account?.disabled, true);
    assert.equal((await env.internal.getAccount({ userId })).account?.disabled, true);
    await rejectsWith(env.client.refresh({ refreshToken: tokens.refreshToken }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.internal.verifyApiKey({ secret }), GrpcStatus.UNAUTHENTICATED, /^API key is not valid$/);
    await rejectsWith(env.client.signIn({ email, password: "not the password" }), GrpcStatus.UNAUTHENTICATED, /email or password is wrong/);
    await rejectsWith(env.client.signIn({ email, password }), GrpcStatus.PERMISSION_DENIED, /disabled/);
    await rejectsWith(client.getMe({}), GrpcStatus.PERMISSION_DENIED, /disabled/);
    await rejectsWith(client.createApiKey({ name: "another", scopes: [ApiKeyScope.VIDEOS_READ] }), GrpcStatus.PERMISSION_DENIED);
    // No codes go to a disabled account, and the answers stay the same.
    await env.client.requestSignInCode({ email });
    await env.client.requestPasswordReset({ email });
    await assert.rejects(env.mail.next(email, 300), /no mail/);

    const enabled = await admin.client.setUserDisabled({ userId, disabled: false });
    assert.equal(enabled.account?.disabled, false);
    assert.equal((await env.internal.verifyApiKey({ secret })).account?.userId, userId, "the key was kept");
    assert.ok((await env.client.signIn({ email, password })).tokens);
    await rejectsWith(env.client.refresh({ refreshToken: tokens.refreshToken }), GrpcStatus.UNAUTHENTICATED, /sign in again/);

    await rejectsWith(admin.client.setUserDisabled({ userId: admin.userId, disabled: true }), GrpcStatus.FAILED_PRECONDITION, /their own account/);
    await rejectsWith(admin.client.setUserDisabled({ userId: "0123456789abcdef0123", disabled: true }), GrpcStatus.NOT_FOUND);
  });

  test("a code issued before the account was disabled does not sign in", async () => {
    const { email, userId } = await newUser("latecode");
    await env.client.requestSignInCode({ email });
    const code = await env.nextCode(email);
    await admin.client.setUserDisabled({ userId, disabled: true });
    await rejectsWith(env.client.signInWithCode({ email, code }), GrpcStatus.PERMISSION_DENIED, /disabled/);
  });

  test("ListUsers pages through every account in email order", async () => {
    for (let i = 0; i < 5; i++) await newUser(`listed${i}`);
    const emails: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await admin.client.listUsers({ pageSize: 3, pageToken });
      assert.ok(page.users.length <= 3);
      emails.push(...page.users.map((u) => u.email));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== "");
    const everyone = (await admin.client.listUsers({ pageSize: 200 })).users.map((u) => u.email);
    assert.deepEqual(emails, everyone);
    assert.ok(pages >= 3);
    assert.deepEqual(everyone, everyone.toSorted((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    assert.equal(new Set(everyone).size, everyone.length);
    assert.ok(everyone.length >= 6);
    await rejectsWith(admin.client.listUsers({ pageSize: -1 }), GrpcStatus.INVALID_ARGUMENT, /page_size/);
    await rejectsWith(admin.client.listUsers({ pageToken: "eyJ4IjoxfQ" }), GrpcStatus.INVALID_ARGUMENT, /page_token/);
  });
});
