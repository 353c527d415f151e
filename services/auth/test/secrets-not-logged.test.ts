import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@kino/platform";
import { ApiKeyScope } from "@kino/proto/auth/v1";
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

  test("sign-up, codes, sign-in, refresh, reuse, sign-out, reset and API keys leave no password, code, token or key secret in the log", async () => {
    const email = uniqueEmail("secret");
    const password = "my very secret passphrase";
    const newPassword = "my even more secret passphrase";
    const secrets: string[] = [password, newPassword];
    const other = (code: string) => (code === "999999" ? "999998" : "999999");
    // Calls made the way the gateway makes them: from an address, for a user.
    const visitor = env.clientFor({ clientAddress: "203.0.113.50" });

    await visitor.signUp({ email, password, displayName: "Secret" });
    const verification = await env.nextCode(email);
    secrets.push(verification);
    await visitor.verifyEmail({ email, code: other(verification) }).catch(() => {});
    await visitor.verifyEmail({ email, code: verification });
    await visitor.signIn({ email, password: `${password} wrong` }).catch(() => {});
    secrets.push(`${password} wrong`);
    const { tokens } = await visitor.signIn({ email, password, clientDescription: "secret browser" });
    await visitor.requestSignInCode({ email });
    const signInCode = await env.nextCode(email);
    secrets.push(signInCode);
    await visitor.signInWithCode({ email, code: other(signInCode) }).catch(() => {});
    const { tokens: viaCode } = await visitor.signInWithCode({ email, code: signInCode });
    const { tokens: refreshed } = await visitor.refresh({ refreshToken: tokens!.refreshToken });
    await visitor.refresh({ refreshToken: tokens!.refreshToken }).catch(() => {}); // reuse: logged as a warning
    await visitor.signOut({ refreshToken: viaCode!.refreshToken });

    const me = env.clientFor({ userId: tokens!.userId, clientAddress: "203.0.113.50" });
    const created = await me.createApiKey({ name: "secret server", scopes: [ApiKeyScope.VIDEOS_READ, ApiKeyScope.VIDEOS_WRITE] });
    secrets.push(created.secret, created.secret.slice(14));
    await env.internal.verifyApiKey({ secret: created.secret });
    await env.internal.verifyApiKey({ secret: `${created.secret.slice(0, -1)}A` }).catch(() => {});
    await me.listApiKeys({});
    await me.revokeApiKey({ keyId: created.apiKey!.keyId });
    await env.internal.verifyApiKey({ secret: created.secret }).catch(() => {});

    await visitor.requestPasswordReset({ email });
    const resetCode = await env.nextCode(email);
    secrets.push(resetCode);
    await visitor.resetPassword({ email, code: other(resetCode), newPassword }).catch(() => {});
    await visitor.resetPassword({ email, code: resetCode, newPassword });
    await env.mail.next(email); // the notice
    const { tokens: afterReset } = await visitor.signIn({ email, password: newPassword });
    for (const t of [tokens!, viaCode!, refreshed!, afterReset!]) secrets.push(t.refreshToken, t.accessToken);

    assert.match(logged, /signed in with password/, "the capture holds the service's log");
    for (const expected of [/session revoked/, /API key created/, /API key revoked/, /password reset: every session revoked/, /"level":20/]) {
      assert.match(logged, expected);
    }
    for (const secret of secrets) {
      assert.ok(!logged.includes(secret), `the log contains a secret (${secret.length} characters)`);
    }
    // Neither the password's hash nor mail bodies are logged either.
    assert.ok(!logged.includes("$argon2id$"));
    assert.ok(!/code is \d{6}/.test(logged));
  });
});
