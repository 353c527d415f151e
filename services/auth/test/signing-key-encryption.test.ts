import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { verifyAccessToken } from "@kino/auth-tokens";
import { createTestDatabase, startMailCatcher, type MailCatcher, type TestDatabase } from "@kino/testkit";
import { decodeProtectedHeader } from "jose";
import pg from "pg";
import { startTestAuth, testAudience, testIssuer } from "../src/testing.ts";
import { startAuthTestEnv, uniqueEmail } from "./auth-test-env.ts";

const secret = "a signing key secret of at least 32 characters";
let database: TestDatabase;
let mail: MailCatcher;
before(async () => {
  database = await createTestDatabase("kino_auth_sealed");
  mail = await startMailCatcher();
});
after(async () => {
  await mail.close();
  await database.drop();
});

async function storedPrivateKeys(): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<{ private_jwk: Record<string, unknown> }>("select private_jwk from signing_keys")).rows.map((r) => r.private_jwk);
  } finally {
    await client.end();
  }
}

test("with a secret, private keys are stored encrypted, sign and rotate; a wrong or missing secret stops the start", async () => {
  const env = await startAuthTestEnv({ databaseUrl: database.url, mail, signingKeySecret: secret });
  const email = uniqueEmail("sealed");
  try {
    const tokens = await env.signUpVerified(email, "sealed and signed");
    const jwks = JSON.parse((await env.client.getJwks({})).jwksJson);
    await verifyAccessToken(jwks, tokens.accessToken, { issuer: testIssuer, audience: testAudience });
    const kid = await env.started.rotateSigningKey(env.now());
    const after = (await env.client.signIn({ email, password: "sealed and signed" })).tokens!;
    assert.equal(decodeProtectedHeader(after.accessToken).kid, kid);
  } finally {
    await env.close();
  }
  const stored = await storedPrivateKeys();
  assert.equal(stored.length, 2);
  for (const key of stored) {
    assert.equal(key.sealed, "A256GCM");
    assert.equal(key.d, undefined, "no private key material in the clear");
  }

  await assert.rejects(startTestAuth({ smtpUrl: mail.url, databaseUrl: database.url, signingKeySecret: `${secret}, but another` }), /does not decrypt/);
  await assert.rejects(startTestAuth({ smtpUrl: mail.url, databaseUrl: database.url }), /is encrypted/);
  const again = await startTestAuth({ smtpUrl: mail.url, databaseUrl: database.url, signingKeySecret: secret });
  await again.close();
});
