import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { verifyAccessToken } from "@kino/auth-tokens";
import { testAudience, testIssuer } from "../src/testing.ts";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "refresh me please";

describe("refresh tokens: rotation, reuse detection, sign-out", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  test("each refresh spends the token and returns a new one for the same session", async () => {
    const first = await env.signUpVerified(uniqueEmail("rita"), password);
    const { tokens: second } = await env.client.refresh({ refreshToken: first.refreshToken });
    assert.ok(second);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal(second.userId, first.userId);
    const jwks = JSON.parse((await env.client.getJwks({})).jwksJson);
    const a = await verifyAccessToken(jwks, first.accessToken, { issuer: testIssuer, audience: testAudience });
    const b = await verifyAccessToken(jwks, second.accessToken, { issuer: testIssuer, audience: testAudience });
    assert.equal(a.sessionId, b.sessionId, "one family, one session id");
    const { tokens: third } = await env.client.refresh({ refreshToken: second.refreshToken });
    assert.ok(third?.refreshToken);
  });

  test("presenting a spent token revokes the family: the newest token fails too", async () => {
    const first = await env.signUpVerified(uniqueEmail("sam"), password);
    const { tokens: second } = await env.client.refresh({ refreshToken: first.refreshToken });
    await rejectsWith(env.client.refresh({ refreshToken: first.refreshToken }), GrpcStatus.UNAUTHENTICATED, /sign in again/);
    await rejectsWith(env.client.refresh({ refreshToken: second!.refreshToken }), GrpcStatus.UNAUTHENTICATED);
  });

  test("other sessions of the account survive a reuse in one of them", async () => {
    const email = uniqueEmail("tess");
    const stolen = await env.signUpVerified(email, password);
    const { tokens: laptop } = await env.client.signIn({ email, password });
    await env.client.refresh({ refreshToken: stolen.refreshToken });
    await rejectsWith(env.client.refresh({ refreshToken: stolen.refreshToken }), GrpcStatus.UNAUTHENTICATED);
    assert.ok((await env.client.refresh({ refreshToken: laptop!.refreshToken })).tokens);
  });

  test("two concurrent refreshes with one token: one wins, and the family is then revoked", async () => {
    const first = await env.signUpVerified(uniqueEmail("uma"), password);
    const results = await Promise.allSettled([
      env.client.refresh({ refreshToken: first.refreshToken }),
      env.client.refresh({ refreshToken: first.refreshToken }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    const next = (won[0] as PromiseFulfilledResult<{ tokens?: { refreshToken: string } }>).value.tokens!.refreshToken;
    await rejectsWith(env.client.refresh({ refreshToken: next }), GrpcStatus.UNAUTHENTICATED);
  });

  test("sign-out revokes the session; signing out again or with nonsense is OK", async () => {
    const first = await env.signUpVerified(uniqueEmail("vic"), password);
    const { tokens: second } = await env.client.refresh({ refreshToken: first.refreshToken });
    await env.client.signOut({ refreshToken: second!.refreshToken });
    await rejectsWith(env.client.refresh({ refreshToken: second!.refreshToken }), GrpcStatus.UNAUTHENTICATED);
    await env.client.signOut({ refreshToken: second!.refreshToken });
    await env.client.signOut({ refreshToken: "not a token" });
  });

  test("unknown, malformed and expired refresh tokens are refused", async () => {
    await rejectsWith(env.client.refresh({ refreshToken: "" }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.refresh({ refreshToken: "A".repeat(43) }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.refresh({ refreshToken: "x".repeat(100_000) }), GrpcStatus.UNAUTHENTICATED);
    const tokens = await env.signUpVerified(uniqueEmail("wes"), password);
    env.advance(31 * 86_400_000);
    await rejectsWith(env.client.refresh({ refreshToken: tokens.refreshToken }), GrpcStatus.UNAUTHENTICATED);
  });
});
