import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { verifyAccessToken, type JSONWebKeySet } from "@kino/auth-tokens";
import { decodeProtectedHeader } from "jose";
import { testAudience, testIssuer } from "../src/testing.ts";
import { startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const command = fileURLToPath(new URL("../src/rotate-signing-key-main.ts", import.meta.url));

let env: AuthTestEnv;
before(async () => {
  env = await startAuthTestEnv();
});
after(() => env.close());

test("the rotation command makes a new key that the running service signs with at once; old tokens still verify", async () => {
  const email = uniqueEmail("cmd");
  const password = "rotate by command";
  const old = await env.signUpVerified(email, password);

  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", command], {
    env: { ...process.env, KINO_AUTH_DATABASE_URL: env.started.databaseUrl, KINO_LOG_LEVEL: "silent" },
  });
  const kid = stdout.trim();
  assert.match(kid, /^[A-Za-z0-9_-]{43}$/, "prints the new kid");

  const fresh = (await env.client.signIn({ email, password })).tokens!;
  assert.equal(decodeProtectedHeader(fresh.accessToken).kid, kid);
  const jwks = JSON.parse((await env.client.getJwks({})).jwksJson) as JSONWebKeySet;
  assert.equal(jwks.keys.length, 2);
  for (const token of [old.accessToken, fresh.accessToken]) {
    await verifyAccessToken(jwks, token, { issuer: testIssuer, audience: testAudience });
  }
});
