import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { verifyAccessToken } from "@kino/auth-tokens";
import { testAudience, testIssuer } from "../src/testing.ts";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "correct horse battery";

describe("sign-up, verification and codes by mail", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  test("sign-up mails a code; verified, the password signs in and the access token verifies against the JWKS", async () => {
    const email = uniqueEmail("Alice");
    await env.client.signUp({ email: `  ${email.replace("example.com", "EXAMPLE.com")} `, password, displayName: " Alice " });
    const mail = await env.mail.next(email);
    assert.match(mail.subject, /verification code/);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;

    await rejectsWith(env.client.signIn({ email, password }), GrpcStatus.FAILED_PRECONDITION, /not verified/);
    await env.client.verifyEmail({ email, code });
    await rejectsWith(env.client.verifyEmail({ email, code }), GrpcStatus.UNAUTHENTICATED, /used up/);

    const { tokens } = await env.client.signIn({ email: email.toUpperCase().replace(/@.*/, email.slice(email.indexOf("@"))), password });
    assert.ok(tokens);
    assert.match(tokens.refreshToken, /^[A-Za-z0-9_-]{43}$/);
    const jwks = JSON.parse((await env.client.getJwks({})).jwksJson);
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].alg, "EdDSA");
    assert.equal(jwks.keys[0].d, undefined, "no private part in the JWKS");
    const claims = await verifyAccessToken(jwks, tokens.accessToken, { issuer: testIssuer, audience: testAudience });
    assert.equal(claims.userId, tokens.userId);
    const lifetimeMs = claims.expiresAt.getTime() - Date.now();
    assert.ok(lifetimeMs > 14 * 60_000 && lifetimeMs <= 15 * 60_000, `lifetime ${lifetimeMs} ms`);
  });

  test("the email casing of sign-up does not make a second account", async () => {
    const email = uniqueEmail("carol");
    const tokens = await env.signUpVerified(email, password);
    await env.client.signUp({ email: email.toUpperCase(), password: "another password!", displayName: "Mallory" });
    const notice = await env.mail.next(email);
    assert.match(notice.text, /already has an account/);
    await rejectsWith(env.client.signIn({ email, password: "another password!" }), GrpcStatus.UNAUTHENTICATED);
    assert.equal((await env.client.signIn({ email, password })).tokens?.userId, tokens.userId);
  });

  test("a code is locked after 5 wrong attempts, the right one included after that", async () => {
    const email = uniqueEmail("dave");
    await env.client.signUp({ email, password, displayName: "Dave" });
    const code = await env.nextCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await rejectsWith(env.client.verifyEmail({ email, code: wrong }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.verifyEmail({ email, code }), GrpcStatus.UNAUTHENTICATED, /wrong, expired or used up/);
    // A new code (sign-up again) works again.
    await env.client.signUp({ email, password, displayName: "Dave" });
    await env.client.verifyEmail({ email, code: await env.nextCode(email) });
    assert.ok((await env.client.signIn({ email, password })).tokens);
  });

  test("parallel guesses cannot exceed 5 attempts", async () => {
    const email = uniqueEmail("ivy");
    await env.client.signUp({ email, password, displayName: "Ivy" });
    const code = await env.nextCode(email);
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const results = await Promise.allSettled(guesses.map((guess) => env.client.verifyEmail({ email, code: guess })));
    assert.ok(results.every((r) => r.status === "rejected"));
    await rejectsWith(env.client.verifyEmail({ email, code }), GrpcStatus.UNAUTHENTICATED, /wrong, expired or used up/);
  });

  test("a code older than 10 minutes is refused", async () => {
    const email = uniqueEmail("erin");
    await env.signUpVerified(email, password);
    await env.client.requestSignInCode({ email });
    const code = await env.nextCode(email);
    env.advance(10 * 60_000 + 1000);
    await rejectsWith(env.client.signInWithCode({ email, code }), GrpcStatus.UNAUTHENTICATED);
  });

  test("a sign-in code signs in once, verifies the email, and a newer code replaces it", async () => {
    const email = uniqueEmail("frank");
    await env.client.signUp({ email, password, displayName: "Frank" });
    await env.nextCode(email); // the verification code, unused
    await env.client.requestSignInCode({ email });
    const first = await env.nextCode(email);
    await env.client.requestSignInCode({ email });
    const second = await env.nextCode(email);
    if (first !== second) await rejectsWith(env.client.signInWithCode({ email, code: first }), GrpcStatus.UNAUTHENTICATED);
    const { tokens } = await env.client.signInWithCode({ email, code: ` ${second} ` });
    assert.ok(tokens?.accessToken);
    await rejectsWith(env.client.signInWithCode({ email, code: second }), GrpcStatus.UNAUTHENTICATED);
    assert.ok((await env.client.signIn({ email, password })).tokens, "the code proved the mailbox: password sign-in works now");
  });

  test("answers do not tell whether an email has an account", async () => {
    const known = uniqueEmail("grace");
    await env.signUpVerified(known, password);
    const unknown = uniqueEmail("nobody");
    await env.client.requestSignInCode({ email: unknown });
    await env.client.requestSignInCode({ email: known });
    await env.nextCode(known);
    assert.equal(env.mail.messages.filter((m) => m.to.includes(unknown.toLowerCase())).length, 0, "no mail to an unknown address");

    const wrongPassword = await env.client.signIn({ email: known, password: "not the password" }).catch((e: Error & { details: string }) => e.details);
    const unknownEmail = await env.client.signIn({ email: unknown, password }).catch((e: Error & { details: string }) => e.details);
    assert.equal(wrongPassword, "email or password is wrong");
    assert.equal(unknownEmail, wrongPassword);

    const wrongCode = await env.client.signInWithCode({ email: known, code: "123456" }).catch((e: Error & { details: string }) => e.details);
    const noAccount = await env.client.signInWithCode({ email: unknown, code: "123456" }).catch((e: Error & { details: string }) => e.details);
    assert.equal(noAccount, wrongCode);
  });

  test("input rules: password length, email shape, display name", async () => {
    await rejectsWith(env.client.signUp({ email: uniqueEmail("h"), password: "short", displayName: "H" }), GrpcStatus.INVALID_ARGUMENT, /password must be 10 to 256 characters, got 5/);
    await rejectsWith(env.client.signUp({ email: uniqueEmail("h"), password: "x".repeat(257), displayName: "H" }), GrpcStatus.INVALID_ARGUMENT, /got 257/);
    for (const email of ["no-at-sign", "a@localhost", "a b@example.com", "a@exa_mple.com", "a\r\nBcc: x@y.com@example.com", ".a@example.com"]) {
      await rejectsWith(env.client.signUp({ email, password, displayName: "H" }), GrpcStatus.INVALID_ARGUMENT, /^email/);
    }
    await rejectsWith(env.client.signUp({ email: uniqueEmail("h"), password, displayName: "  " }), GrpcStatus.INVALID_ARGUMENT, /display_name/);
    await rejectsWith(env.client.signIn({ email: uniqueEmail("h"), password: "y".repeat(10_000) }), GrpcStatus.UNAUTHENTICATED);
  });
});
