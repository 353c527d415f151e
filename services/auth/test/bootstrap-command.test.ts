import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ApiKeyScope, Role } from "@kino/proto/auth/v1";
import { createTestDatabase } from "@kino/testkit";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const command = fileURLToPath(new URL("../src/bootstrap-admin-main.ts", import.meta.url));
const allScopes = [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE, ApiKeyScope.ANALYTICS_READ, ApiKeyScope.ADMIN].sort();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function bootstrap(databaseUrl: string, env: Record<string, string>): Promise<Run> {
  const run = promisify(execFile)(process.execPath, ["--import", "tsx", command], {
    env: {
      ...process.env,
      KINO_AUTH_DATABASE_URL: databaseUrl,
      KINO_AUTH_ARGON2_MEMORY_KIB: "8192",
      KINO_AUTH_ARGON2_TIME_COST: "1",
      KINO_LOG_LEVEL: "trace",
      ...env,
    },
  });
  try {
    const { stdout, stderr } = await run;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The one JSON line, with exactly the two documented members. */
function printed(run: Run): { userId: string; apiKey: string } {
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split("\n");
  assert.equal(lines.length, 2, `one line and its newline, got ${JSON.stringify(run.stdout)}`);
  const line = JSON.parse(lines[0]!) as { userId: string; apiKey: string };
  assert.deepEqual(Object.keys(line), ["userId", "apiKey"]);
  assert.match(line.apiKey, /^kino_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
  return line;
}

describe("bootstrap-admin-main: the admin and API key `kino up` runs with", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  test("creates a verified admin and a key with all four scopes named 'kino up'; again, the same admin and a new key", async () => {
    const email = uniqueEmail("root");
    const password = "bootstrap me please";
    const first = await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: email, KINO_BOOTSTRAP_PASSWORD: password });
    const { userId, apiKey } = printed(first);
    for (const secret of [password, apiKey, apiKey.slice(14)]) assert.ok(!first.stderr.includes(secret), "nothing secret in the log");
    assert.match(first.stderr, /admin created with a new API key/, "the log went to stderr");

    const verified = await env.internal.verifyApiKey({ secret: apiKey });
    assert.equal(verified.account?.userId, userId);
    assert.equal(verified.account?.role, Role.ADMIN);
    assert.equal(verified.account?.emailVerified, true);
    assert.deepEqual(verified.scopes.toSorted(), allScopes);
    assert.equal(verified.expireTime, undefined);
    const { apiKeys } = await env.clientFor({ userId }).listApiKeys({});
    assert.deepEqual(apiKeys.map((k) => k.name), ["kino up"]);
    assert.equal((await env.client.signIn({ email, password })).tokens?.userId, userId, "the password signs in: the email is verified");

    const second = printed(await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: email, KINO_BOOTSTRAP_PASSWORD: "another password!" }));
    assert.equal(second.userId, userId);
    assert.notEqual(second.apiKey, apiKey);
    await env.internal.verifyApiKey({ secret: apiKey });
    await env.internal.verifyApiKey({ secret: second.apiKey });
    await env.client.signIn({ email, password });
    await rejectsWith(env.client.signIn({ email, password: "another password!" }), GrpcStatus.UNAUTHENTICATED, /wrong/);
  });

  test("an existing verified user is promoted and keeps their password; an unverified one gets the bootstrap password", async () => {
    const email = uniqueEmail("promoted");
    const tokens = await env.signUpVerified(email, "my own password");
    const promoted = printed(await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: email, KINO_BOOTSTRAP_PASSWORD: "not used here" }));
    assert.equal(promoted.userId, tokens.userId);
    assert.equal((await env.clientFor({ userId: tokens.userId }).getMe({})).account?.role, Role.ADMIN);
    await env.client.signIn({ email, password: "my own password" });

    // A pending sign-up's password was chosen by whoever signed up, not necessarily the mailbox's owner.
    const pending = uniqueEmail("pending");
    await env.client.signUp({ email: pending, password: "set by a stranger", displayName: "Pending" });
    printed(await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: pending, KINO_BOOTSTRAP_PASSWORD: "the operator's password" }));
    await rejectsWith(env.client.signIn({ email: pending, password: "set by a stranger" }), GrpcStatus.UNAUTHENTICATED);
    await env.client.signIn({ email: pending, password: "the operator's password" });
  });

  test("a disabled account is not bootstrapped: exit 1, nothing on stdout, no key, no promotion", async () => {
    const admin = await env.signUpVerified(uniqueEmail("other-admin"), "an admin of their own");
    await env.started.setRole(admin.userId, "admin");
    const email = uniqueEmail("banned");
    const banned = await env.signUpVerified(email, "a banned user password");
    await env.clientFor({ userId: admin.userId }).setUserDisabled({ userId: banned.userId, disabled: true });
    const run = await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: email, KINO_BOOTSTRAP_PASSWORD: "long enough password" });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /is disabled/);
    await env.clientFor({ userId: admin.userId }).setUserDisabled({ userId: banned.userId, disabled: false });
    const stillUser = env.clientFor({ userId: banned.userId });
    assert.equal((await stillUser.listApiKeys({})).apiKeys.length, 0);
    assert.equal((await stillUser.getMe({})).account?.role, Role.USER, "not promoted either");
  });

  test("bad settings stop it with the variable named and nothing echoed", async () => {
    const missing = await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_PASSWORD: "long enough password" });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /KINO_BOOTSTRAP_EMAIL: is required/);
    const short = await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: uniqueEmail("short"), KINO_BOOTSTRAP_PASSWORD: "tiny pw" });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /KINO_BOOTSTRAP_PASSWORD: password must be 10 to 256 characters, got 7/);
    assert.ok(!short.stderr.includes("tiny pw"));
    const badEmail = await bootstrap(env.started.databaseUrl, { KINO_BOOTSTRAP_EMAIL: "not an email", KINO_BOOTSTRAP_PASSWORD: "long enough password" });
    assert.equal(badEmail.code, 2);
    assert.match(badEmail.stderr, /KINO_BOOTSTRAP_EMAIL: email must be an address/);
    for (const run of [missing, short, badEmail]) assert.equal(run.stdout, "");
  });
});

test("on a fresh database it runs the migrations first; the service then accepts the key", async () => {
  const database = await createTestDatabase("kino_auth_bootstrap");
  try {
    const { userId, apiKey } = printed(
      await bootstrap(database.url, { KINO_BOOTSTRAP_EMAIL: uniqueEmail("fresh"), KINO_BOOTSTRAP_PASSWORD: "a fresh start here" }),
    );
    const env = await startAuthTestEnv({ databaseUrl: database.url });
    try {
      assert.equal((await env.internal.verifyApiKey({ secret: apiKey })).account?.userId, userId);
    } finally {
      await env.close();
    }
  } finally {
    await database.drop();
  }
});
