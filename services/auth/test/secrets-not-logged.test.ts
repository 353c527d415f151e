import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@kino/platform";
import { startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

describe("nothing secret reaches the log", () => {
  let env: AuthTestEnv;
  let logged = "";

  before(async () => {
    const destination = new PassThrough();
    destination.on("data", (chunk: Buffer) => {
      logged += chunk.toString("utf8");
    });
    env = await startAuthTestEnv({ logger: createLogger({ name: "auth", level: "trace", destination }) });
  });
  after(() => env.close());

  test("sign-up, codes, sign-in, refresh, reuse and sign-out leave no password, code or token in the log", async () => {
    const email = uniqueEmail("secret");
    const password = "my very secret passphrase";
    const secrets: string[] = [password];

    await env.client.signUp({ email, password, displayName: "Secret" });
    const verification = await env.nextCode(email);
    secrets.push(verification);
    await env.client.verifyEmail({ email, code: verification === "999999" ? "999998" : "999999" }).catch(() => {});
    await env.client.verifyEmail({ email, code: verification });
    await env.client.signIn({ email, password: `${password} wrong` }).catch(() => {});
    secrets.push(`${password} wrong`);
    const { tokens } = await env.client.signIn({ email, password });
    await env.client.requestSignInCode({ email });
    const signInCode = await env.nextCode(email);
    secrets.push(signInCode);
    const { tokens: viaCode } = await env.client.signInWithCode({ email, code: signInCode });
    const { tokens: refreshed } = await env.client.refresh({ refreshToken: tokens!.refreshToken });
    await env.client.refresh({ refreshToken: tokens!.refreshToken }).catch(() => {}); // reuse: logged as a warning
    await env.client.signOut({ refreshToken: viaCode!.refreshToken });
    for (const t of [tokens!, viaCode!, refreshed!]) secrets.push(t.refreshToken, t.accessToken);

    assert.match(logged, /signed in with password/, "the capture holds the service's log");
    assert.match(logged, /session revoked/);
    for (const secret of secrets) {
      assert.ok(!logged.includes(secret), `the log contains a secret (${secret.length} characters)`);
    }
    // Neither the password's hash nor mail bodies are logged either.
    assert.ok(!logged.includes("$argon2id$"));
    assert.ok(!/code is \d{6}/.test(logged));
  });
});
