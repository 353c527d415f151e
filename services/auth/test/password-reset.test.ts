import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "the first password";
const newPassword = "a brand new password";

describe("password reset by emailed code", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  test("a mailed code sets the new password, ends every session and tells the mailbox", async () => {
    const email = uniqueEmail("reset");
    const laptop = await env.signUpVerified(email, password);
    const { tokens: phone } = await env.client.signIn({ email, password });

    await env.client.requestPasswordReset({ email });
    const mail = await env.mail.next(email);
    assert.match(mail.subject, /password reset code/);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    await env.client.resetPassword({ email, code: ` ${code} `, newPassword });
    assert.match((await env.mail.next(email)).subject, /password was changed/);

    await rejectsWith(env.client.signIn({ email, password }), GrpcStatus.UNAUTHENTICATED, /email or password is wrong/);
    assert.ok((await env.client.signIn({ email, password: newPassword })).tokens, "the new password signs in");
    for (const session of [laptop, phone!]) {
      await rejectsWith(env.client.refresh({ refreshToken: session.refreshToken }), GrpcStatus.UNAUTHENTICATED, /sign in again/);
    }
    // Single use.
    await rejectsWith(env.client.resetPassword({ email, code, newPassword: "yet another password" }), GrpcStatus.UNAUTHENTICATED, /used up/);
  });

  test("the same answer whether the email has an account; no mail to an unknown one", async () => {
    const unknown = uniqueEmail("nobody");
    await env.client.requestPasswordReset({ email: unknown });
    await rejectsWith(env.client.resetPassword({ email: unknown, code: "123456", newPassword }), GrpcStatus.UNAUTHENTICATED, /email or code is wrong/);
    const known = uniqueEmail("somebody");
    await env.signUpVerified(known, password);
    await env.client.requestPasswordReset({ email: known });
    await env.nextCode(known);
    const wrong = await env.client.resetPassword({ email: known, code: "123456", newPassword }).catch((e: { details: string }) => e.details);
    const none = await env.client.resetPassword({ email: unknown, code: "123456", newPassword }).catch((e: { details: string }) => e.details);
    assert.equal(wrong, none);
    await new Promise((resolve) => setTimeout(resolve, 200)); // mail goes in the background
    assert.equal(env.mail.messages.filter((m) => m.to.includes(unknown.toLowerCase())).length, 0);
  });

  test("a bad new password is refused before the code is spent", async () => {
    const email = uniqueEmail("rules");
    await env.signUpVerified(email, password);
    await env.client.requestPasswordReset({ email });
    const code = await env.nextCode(email);
    await rejectsWith(env.client.resetPassword({ email, code, newPassword: "short" }), GrpcStatus.INVALID_ARGUMENT, /password must be 10 to 256 characters/);
    await env.client.resetPassword({ email, code, newPassword });
    assert.ok((await env.client.signIn({ email, password: newPassword })).tokens);
  });

  test("5 wrong codes spend it; a code expires after 10 minutes; a newer one replaces it", async () => {
    const email = uniqueEmail("guess");
    await env.signUpVerified(email, password);
    await env.client.requestPasswordReset({ email });
    const code = await env.nextCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await rejectsWith(env.client.resetPassword({ email, code: wrong, newPassword }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.resetPassword({ email, code, newPassword }), GrpcStatus.UNAUTHENTICATED);

    await env.client.requestPasswordReset({ email });
    const first = await env.nextCode(email);
    await env.client.requestPasswordReset({ email });
    const second = await env.nextCode(email);
    if (first !== second) await rejectsWith(env.client.resetPassword({ email, code: first, newPassword }), GrpcStatus.UNAUTHENTICATED);
    env.advance(10 * 60_000 + 1000);
    await rejectsWith(env.client.resetPassword({ email, code: second, newPassword }), GrpcStatus.UNAUTHENTICATED);
    assert.ok((await env.client.signIn({ email, password })).tokens, "the old password still works");
  });

  test("a reset code is not a sign-in or verification code", async () => {
    const email = uniqueEmail("purpose");
    await env.client.signUp({ email, password, displayName: "Purpose" });
    await env.nextCode(email); // the verification code, unused
    await env.client.requestPasswordReset({ email });
    const code = await env.nextCode(email);
    await rejectsWith(env.client.signInWithCode({ email, code }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(env.client.verifyEmail({ email, code }), GrpcStatus.UNAUTHENTICATED);
    // It proves the mailbox as much as the others: the reset verifies the email.
    await env.client.resetPassword({ email, code, newPassword });
    assert.ok((await env.client.signIn({ email, password: newPassword })).tokens);
  });
});
