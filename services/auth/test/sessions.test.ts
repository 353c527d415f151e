import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { verifyAccessToken } from "@kino/auth-tokens";
import { testAudience, testIssuer } from "../src/testing.ts";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "sessions everywhere";

describe("sessions: list, revoke one, revoke all", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  async function sessionIdOf(accessToken: string): Promise<string> {
    const jwks = JSON.parse((await env.client.getJwks({})).jwksJson);
    return (await verifyAccessToken(jwks, accessToken, { issuer: testIssuer, audience: testAudience })).sessionId;
  }

  test("the caller's live sessions, newest first, with the description given at sign-in and when each was last used", async () => {
    const email = uniqueEmail("lister");
    const first = await env.signUpVerified(email, password);
    env.advance(60_000);
    const { tokens: laptop } = await env.client.signIn({ email, password, clientDescription: "  Firefox on Linux " });
    env.advance(60_000);
    await env.client.requestSignInCode({ email });
    const { tokens: cli } = await env.client.signInWithCode({ email, code: await env.nextCode(email), clientDescription: "kino CLI on build-01" });
    await env.client.signOut({ refreshToken: first.refreshToken });
    env.advance(60_000);
    const { tokens: refreshed } = await env.client.refresh({ refreshToken: laptop!.refreshToken });

    const { sessions } = await env.clientFor({ userId: first.userId }).listSessions({});
    assert.deepEqual(
      sessions.map((s) => s.clientDescription),
      ["kino CLI on build-01", "Firefox on Linux"],
      "the signed-out session is not listed",
    );
    assert.equal(sessions[0]!.sessionId, await sessionIdOf(cli!.accessToken), "a client finds its own session by the sid of its token");
    assert.equal(sessions[1]!.sessionId, await sessionIdOf(refreshed!.accessToken));
    const firefox = sessions[1]!;
    // Two minutes of the service's clock (plus the real time the test took) between sign-in and refresh.
    const usedAfterMs = timestampDate(firefox.lastUsedTime!).getTime() - timestampDate(firefox.createTime!).getTime();
    assert.ok(usedAfterMs >= 120_000 && usedAfterMs < 130_000, `the refresh moved last_used_time (${usedAfterMs} ms after sign-in)`);

    // Another user sees only their own.
    const other = await env.signUpVerified(uniqueEmail("other"), password);
    assert.equal((await env.clientFor({ userId: other.userId }).listSessions({})).sessions.length, 1);
  });

  test("RevokeSession ends only that session, only the caller's own; again it is OK", async () => {
    const email = uniqueEmail("revoker");
    const a = await env.signUpVerified(email, password);
    const { tokens: b } = await env.client.signIn({ email, password });
    const me = env.clientFor({ userId: a.userId });
    const sessionA = await sessionIdOf(a.accessToken);

    const stranger = await env.signUpVerified(uniqueEmail("stranger"), password);
    await rejectsWith(env.clientFor({ userId: stranger.userId }).revokeSession({ sessionId: sessionA }), GrpcStatus.NOT_FOUND, /no session/);
    assert.ok((await env.client.refresh({ refreshToken: a.refreshToken })).tokens, "a stranger's revoke changed nothing");

    await me.revokeSession({ sessionId: sessionA });
    await me.revokeSession({ sessionId: sessionA });
    await rejectsWith(me.revokeSession({ sessionId: "not-a-session" }), GrpcStatus.NOT_FOUND);
    await rejectsWith(me.revokeSession({ sessionId: "A".repeat(22) }), GrpcStatus.NOT_FOUND);
    const { tokens: stillB } = await env.client.refresh({ refreshToken: b!.refreshToken });
    assert.ok(stillB, "the other session goes on");
    assert.deepEqual(
      (await me.listSessions({})).sessions.map((s) => s.sessionId),
      [await sessionIdOf(b!.accessToken)],
    );
  });

  test("RevokeAllSessions ends every session of the caller and no one else's", async () => {
    const email = uniqueEmail("all");
    const a = await env.signUpVerified(email, password);
    const { tokens: b } = await env.client.signIn({ email, password });
    const bystander = await env.signUpVerified(uniqueEmail("bystander"), password);
    const { revokedCount } = await env.clientFor({ userId: a.userId }).revokeAllSessions({});
    assert.equal(revokedCount, 2);
    for (const tokens of [a, b!]) await rejectsWith(env.client.refresh({ refreshToken: tokens.refreshToken }), GrpcStatus.UNAUTHENTICATED);
    assert.equal((await env.clientFor({ userId: a.userId }).listSessions({})).sessions.length, 0);
    assert.ok((await env.client.refresh({ refreshToken: bystander.refreshToken })).tokens);
  });

  test("without a signed-in caller these are UNAUTHENTICATED; a bad description is INVALID_ARGUMENT", async () => {
    await rejectsWith(env.client.listSessions({}), GrpcStatus.UNAUTHENTICATED, /sign in first/);
    await rejectsWith(env.client.revokeSession({ sessionId: "x" }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.revokeAllSessions({}), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.clientFor({ userId: "0123456789abcdef0123" }).listSessions({}), GrpcStatus.UNAUTHENTICATED, /does not exist/);
    const email = uniqueEmail("describer");
    await env.signUpVerified(email, password);
    await rejectsWith(env.client.signIn({ email, password, clientDescription: "x".repeat(201) }), GrpcStatus.INVALID_ARGUMENT, /client_description/);
    await rejectsWith(env.client.signIn({ email, password, clientDescription: "evil\u001b[31m" }), GrpcStatus.INVALID_ARGUMENT, /control characters/);
  });
});
