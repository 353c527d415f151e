import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { failureOf, rejectsWith, startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "throttle me gently";
const wrong = "not my password at all";

function retryAfterOf(error: { details: string; metadata: { get(key: string): unknown[] } }): number {
  const inMessage = Number(/retry after (\d+) s/.exec(error.details)?.[1]);
  assert.deepEqual(error.metadata.get("retry-after"), [String(inMessage)], "the trailer says what the message says");
  return inMessage;
}

describe("throttles with the default limits", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  test("the 11th wrong password within a minute is RESOURCE_EXHAUSTED with a retry-after, the right one too; a code still signs in", async () => {
    const email = uniqueEmail("locked");
    await env.signUpVerified(email, password);
    for (let i = 0; i < 10; i++) await rejectsWith(env.client.signIn({ email, password: wrong }), GrpcStatus.UNAUTHENTICATED, /email or password is wrong/);
    const refused = await failureOf(env.client.signIn({ email, password: wrong }));
    assert.equal(refused.code, GrpcStatus.RESOURCE_EXHAUSTED);
    assert.match(refused.details, /too many wrong passwords for this email; retry after \d+ s/);
    const seconds = retryAfterOf(refused);
    assert.ok(seconds >= 1 && seconds <= 60, `retry after ${seconds} s`);
    await rejectsWith(env.client.signIn({ email, password }), GrpcStatus.RESOURCE_EXHAUSTED, /retry after/);

    await env.client.requestSignInCode({ email });
    assert.ok((await env.client.signInWithCode({ email, code: await env.nextCode(email) })).tokens, "code sign-in is counted apart");
  });

  test("an email without an account is throttled exactly like one with: the answers are the same", async () => {
    const known = uniqueEmail("known");
    await env.signUpVerified(known, password);
    const unknown = uniqueEmail("unknown");
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 11; i++) {
        const error = await failureOf(env.client.signIn({ email, password: wrong }));
        seen.push(`${GrpcStatus[error.code]} ${error.details.replace(/\d+ s$/, "N s")}`);
      }
      return seen;
    };
    const forKnown = await answers(known);
    assert.deepEqual(await answers(unknown), forKnown);
    assert.match(forKnown.at(-1)!, /^RESOURCE_EXHAUSTED/);
  });

  test("parallel wrong passwords cannot pass the limit", async () => {
    const email = uniqueEmail("parallel");
    await env.signUpVerified(email, password);
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => env.client.signIn({ email, password: wrong })));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: number }).code : -1));
    assert.equal(codes.filter((c) => c === GrpcStatus.UNAUTHENTICATED).length, 10, "exactly 10 were checked");
    assert.equal(codes.filter((c) => c === GrpcStatus.RESOURCE_EXHAUSTED).length, 15);
  });
});

describe("throttles with short windows", () => {
  let env: AuthTestEnv;
  before(async () => {
    env = await startAuthTestEnv({
      throttles: {
        passwordFailuresPerEmail: { points: 3, windowSeconds: 2 },
        signInFailuresPerAddress: { points: 5, windowSeconds: 2 },
        codeMailsPerEmail: { points: 2, windowSeconds: 2 },
        codeMailsPerAddress: { points: 4, windowSeconds: 2 },
      },
    });
  });
  after(() => env.close());

  test("after the window the right password works again; a right one starts the count over", async () => {
    const email = uniqueEmail("window");
    await env.signUpVerified(email, password);
    for (let i = 0; i < 3; i++) await rejectsWith(env.client.signIn({ email, password: wrong }), GrpcStatus.UNAUTHENTICATED);
    const refused = await failureOf(env.client.signIn({ email, password }));
    assert.equal(refused.code, GrpcStatus.RESOURCE_EXHAUSTED);
    assert.ok(retryAfterOf(refused) <= 2);
    await sleep(2100);
    assert.ok((await env.client.signIn({ email, password })).tokens, "the window is over");

    for (let i = 0; i < 2; i++) await rejectsWith(env.client.signIn({ email, password: wrong }), GrpcStatus.UNAUTHENTICATED);
    assert.ok((await env.client.signIn({ email, password })).tokens);
    for (let i = 0; i < 3; i++) await rejectsWith(env.client.signIn({ email, password: wrong }), GrpcStatus.UNAUTHENTICATED, /wrong/);
  });

  test("a spray over many emails from one address is throttled for that address only; IPv6 counts by /64", async () => {
    const from = (clientAddress: string) => env.clientFor({ clientAddress });
    for (let i = 0; i < 5; i++) await rejectsWith(from("203.0.113.7").signIn({ email: uniqueEmail("spray"), password: wrong }), GrpcStatus.UNAUTHENTICATED);
    await rejectsWith(from("203.0.113.7").signIn({ email: uniqueEmail("spray"), password: wrong }), GrpcStatus.RESOURCE_EXHAUSTED, /from this network/);
    // Wrong codes from there count too.
    await rejectsWith(from("203.0.113.7").signInWithCode({ email: uniqueEmail("spray"), code: "123456" }), GrpcStatus.RESOURCE_EXHAUSTED);
    await rejectsWith(from("198.51.100.1").signIn({ email: uniqueEmail("spray"), password: wrong }), GrpcStatus.UNAUTHENTICATED, /wrong/);

    for (let i = 0; i < 5; i++) {
      await rejectsWith(from(`2001:db8:1:2::${i + 1}`).signIn({ email: uniqueEmail("spray6"), password: wrong }), GrpcStatus.UNAUTHENTICATED);
    }
    await rejectsWith(from("2001:db8:1:2:ffff::9").signIn({ email: uniqueEmail("spray6"), password: wrong }), GrpcStatus.RESOURCE_EXHAUSTED);
    await rejectsWith(from("2001:db8:1:3::1").signIn({ email: uniqueEmail("spray6"), password: wrong }), GrpcStatus.UNAUTHENTICATED, /wrong/);

    await sleep(2100);
    await rejectsWith(from("203.0.113.7").signIn({ email: uniqueEmail("spray"), password: wrong }), GrpcStatus.UNAUTHENTICATED, /wrong/);
  });

  test("right answers from an address are not held against it", async () => {
    const email = uniqueEmail("office");
    await env.signUpVerified(email, password);
    const office = env.clientFor({ clientAddress: "192.0.2.10" });
    for (let i = 0; i < 8; i++) assert.ok((await office.signIn({ email, password })).tokens);
  });

  test("mailed codes per email: sign-in codes, resets and sign-ups share the limit, for emails with or without an account", async () => {
    const email = uniqueEmail("mails");
    await env.client.signUp({ email, password, displayName: "Mails" });
    await env.client.requestPasswordReset({ email });
    await rejectsWith(env.client.requestSignInCode({ email }), GrpcStatus.RESOURCE_EXHAUSTED, /too many codes requested for this email; retry after \d+ s/);
    await rejectsWith(env.client.signUp({ email, password, displayName: "Mails" }), GrpcStatus.RESOURCE_EXHAUSTED);

    const nobody = uniqueEmail("nobody");
    await env.client.requestSignInCode({ email: nobody });
    await env.client.requestPasswordReset({ email: nobody });
    await rejectsWith(env.client.requestSignInCode({ email: nobody }), GrpcStatus.RESOURCE_EXHAUSTED, /for this email/);
    await sleep(2100);
    await env.client.requestSignInCode({ email });
    await env.nextCode(email);
  });

  test("mailed codes per address, across emails", async () => {
    const lab = env.clientFor({ clientAddress: "198.51.100.77" });
    for (let i = 0; i < 4; i++) await lab.requestSignInCode({ email: uniqueEmail("lab") });
    const refused = await failureOf(lab.requestPasswordReset({ email: uniqueEmail("lab") }));
    assert.equal(refused.code, GrpcStatus.RESOURCE_EXHAUSTED);
    assert.match(refused.details, /from this network/);
    retryAfterOf(refused);
    await env.clientFor({ clientAddress: "198.51.100.78" }).requestSignInCode({ email: uniqueEmail("lab") });
  });
});
