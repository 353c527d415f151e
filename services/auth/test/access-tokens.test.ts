import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { verifyAccessToken, type JSONWebKeySet, type VerifyOptions } from "@kino/auth-tokens";
import { KinoError } from "@kino/platform";
import { SignJWT, decodeProtectedHeader, importJWK } from "jose";
import { testAudience, testIssuer } from "../src/testing.ts";
import { startAuthTestEnv, uniqueEmail, type AuthTestEnv } from "./auth-test-env.ts";

const password = "tokens all the way";
const options: VerifyOptions = { issuer: testIssuer, audience: testAudience };

async function refused(jwks: JSONWebKeySet, token: string, message: RegExp, verify = options): Promise<void> {
  await assert.rejects(verifyAccessToken(jwks, token, verify), (error: unknown) => {
    assert.ok(KinoError.is(error, "unauthenticated"), String(error));
    assert.match(error.message, message);
    return true;
  });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** A token signed by a key Kino does not have, claiming whatever kid and claims are asked for. */
async function forged(kid: string, claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = generateKeyPairSync("ed25519");
  const key = await importJWK(privateKey.export({ format: "jwk" }), "EdDSA");
  return new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid }).sign(key);
}

describe("access tokens and signing keys", () => {
  let env: AuthTestEnv;
  let jwks: JSONWebKeySet;
  let token: string;
  let payload: Record<string, unknown>;

  before(async () => {
    env = await startAuthTestEnv();
    token = (await env.signUpVerified(uniqueEmail("tok"), password)).accessToken;
    jwks = JSON.parse((await env.client.getJwks({})).jwksJson);
    payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
  });
  after(() => env.close());

  test("a token carries kid, iss, aud, sub, sid, iat and a 15-minute exp", async () => {
    assert.deepEqual(decodeProtectedHeader(token), { alg: "EdDSA", kid: jwks.keys[0]!.kid, typ: "JWT" });
    assert.equal(payload.iss, testIssuer);
    assert.equal(payload.aud, testAudience);
    assert.equal(typeof payload.sid, "string");
    assert.equal((payload.exp as number) - (payload.iat as number), 15 * 60);
    await verifyAccessToken(jwks, token, options);
  });

  test("alg none is refused", async () => {
    const [header] = token.split(".");
    const none = `${base64url({ ...JSON.parse(Buffer.from(header!, "base64url").toString()), alg: "none" })}.${token.split(".")[1]}.`;
    await refused(jwks, none, /not valid/);
  });

  test("HS256 keyed with the public key (algorithm confusion) is refused", async () => {
    const secret = Buffer.from(JSON.stringify(jwks.keys[0]));
    const confused = await new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid: jwks.keys[0]!.kid! }).sign(secret);
    await refused(jwks, confused, /not valid/);
  });

  test("a token signed by another key under a known kid is refused", async () => {
    await refused(jwks, await forged(jwks.keys[0]!.kid!, payload), /not valid/);
  });

  test("a token with an unknown kid is refused", async () => {
    await refused(jwks, await forged("no-such-kid", payload), /not valid/);
  });

  test("a tampered payload is refused", async () => {
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${base64url({ ...payload, sub: "someone-else" })}.${signature}`;
    await refused(jwks, tampered, /not valid/);
  });

  test("an expired token is refused as expired", async () => {
    await refused(jwks, token, /expired/, { ...options, currentDate: new Date(Date.now() + 15 * 60_000 + 1000) });
  });

  test("the wrong audience or issuer is refused", async () => {
    await refused(jwks, token, /not valid/, { ...options, audience: "another-service" });
    await refused(jwks, token, /not valid/, { ...options, issuer: "someone-else" });
  });

  test("after rotation the new key signs; tokens of the old key verify until they expire, then the old key leaves the JWKS", async () => {
    const email = uniqueEmail("rot");
    const before = await env.signUpVerified(email, password);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    const newKid = await env.started.rotateSigningKey(env.now());
    assert.notEqual(newKid, oldKid);

    const after = (await env.client.signIn({ email, password })).tokens!;
    assert.equal(decodeProtectedHeader(after.accessToken).kid, newKid);
    const refreshed = (await env.client.refresh({ refreshToken: before.refreshToken })).tokens!;
    assert.equal(decodeProtectedHeader(refreshed.accessToken).kid, newKid, "refresh signs with the new key");

    const both = JSON.parse((await env.client.getJwks({})).jwksJson) as JSONWebKeySet;
    assert.deepEqual(both.keys.map((k) => k.kid).sort(), [newKid, oldKid].sort());
    await verifyAccessToken(both, before.accessToken, options);
    await verifyAccessToken(both, after.accessToken, options);

    env.advance(16 * 60_000 + 1000);
    const later = JSON.parse((await env.client.getJwks({})).jwksJson) as JSONWebKeySet;
    assert.deepEqual(later.keys.map((k) => k.kid), [newKid], "the old key is gone once its last token expired");
  });
});
