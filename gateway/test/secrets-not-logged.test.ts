import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startTestAccounts, type TestAccounts } from "@kino/auth-service/test-accounts";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { createLogger } from "@kino/platform";
import { ApiKeyScope, AuthService } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

let logged = "";
let accounts: TestAccounts;
let catalog: StartedTestCatalog;
let gateway: RunningGateway;

function traceLogger(name: string) {
  const destination = new PassThrough();
  destination.on("data", (chunk: Buffer) => (logged += chunk.toString("utf8")));
  return createLogger({ name, level: "trace", destination });
}

before(async () => {
  accounts = await startTestAccounts({ logger: traceLogger("auth") });
  catalog = await startTestCatalog();
  const config = testGatewayConfig(catalog.catalog.grpcPort, {
    authUrl: accounts.authUrl,
    accessTokenIssuer: accounts.gatewayEnv.KINO_AUTH_ISSUER!,
    accessTokenAudience: accounts.gatewayEnv.KINO_AUTH_AUDIENCE!,
    logLevel: "trace",
  });
  gateway = await startGateway({ config, logger: traceLogger("gateway") });
});
after(async () => {
  await gateway.close();
  await catalog.close();
  await accounts.close();
});

async function code(email: string): Promise<string> {
  return /\b(\d{6})\b/.exec((await accounts.mail.next(email)).text)![1]!;
}

test("through the gateway, sign-up, code sign-in, refresh, reset and key creation leave no password, code, token or key secret in any log", async () => {
  const baseUrl = `http://127.0.0.1:${gateway.port}`;
  const auth = createClient(AuthService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
  const videos = createClient(CatalogService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
  const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });
  const email = `logs.${process.pid}@example.com`;
  const password = "the passphrase nobody may read";
  const newPassword = "the next passphrase nobody may read";
  const secrets = [password, newPassword, `${password}!`];

  await auth.signUp({ email, password, displayName: "Logs" });
  const verification = await code(email);
  await auth.verifyEmail({ email, code: verification });
  await auth.signIn({ email, password: `${password}!` }).catch(() => {});
  const signedIn = (await auth.signIn({ email, password })).tokens!;
  await auth.requestSignInCode({ email });
  const signInCode = await code(email);
  const byCode = (await auth.signInWithCode({ email, code: signInCode })).tokens!;
  const refreshed = (await auth.refresh({ refreshToken: byCode.refreshToken })).tokens!;
  // A spent refresh token presented again: the family is revoked, and that is logged, without the token.
  await assert.rejects(auth.refresh({ refreshToken: byCode.refreshToken }));
  const { secret } = await auth.createApiKey({ name: "logged?", scopes: [ApiKeyScope.VIDEOS_WRITE] }, bearer(signedIn.accessToken));
  await videos.createVideo({ title: "with the key" }, bearer(secret));
  await videos.createVideo({ title: "with the token" }, bearer(signedIn.accessToken));
  const wrongKey = `${secret.slice(0, -4)}AAAA`;
  await assert.rejects(videos.createVideo({ title: "x" }, bearer(wrongKey)), (error) => ConnectError.from(error).code === Code.Unauthenticated);
  await auth.requestPasswordReset({ email });
  const resetCode = await code(email);
  await auth.resetPassword({ email, code: resetCode, newPassword });
  await auth.signIn({ email, password: newPassword });

  secrets.push(verification, signInCode, resetCode, secret, wrongKey);
  for (const tokens of [signedIn, byCode, refreshed]) secrets.push(tokens.accessToken, tokens.refreshToken);
  assert.ok(logged.length > 1000, "the trace logs were captured");
  for (const value of secrets) {
    assert.ok(!logged.includes(value), `a secret reached the log: ${value.slice(0, 6)}…`);
  }
  // Nor the distinctive part of a JWT or key on its own, e.g. inside an error's cause.
  for (const tokens of [signedIn, byCode, refreshed]) assert.ok(!logged.includes(tokens.accessToken.split(".")[2]!));
  // The key's secret part is base64url and may itself hold "_": take all of it after kino_<prefix>_.
  const secretPart = secret.split("_").slice(2).join("_");
  assert.equal(secretPart.length, 43);
  assert.ok(!logged.includes(secretPart));
});
