import assert from "node:assert/strict";
import { sign } from "node:crypto";
import { test } from "node:test";
import { KinoError } from "@kino/platform";
import { createAssertionMinter, createAssertionVerifier, generateServiceCredentials, identityFrom, trustFrom } from "../src/index.ts";
import { checkCallerRule } from "../src/identity/caller-rules.ts";

const { identities, trust: trustFile } = generateServiceCredentials(["gateway", "transcoder"]);
const gatewayIdentity = identityFrom(identities.get("gateway")!);
const trust = trustFrom(trustFile);
const audience = "kino.catalog.v1.CatalogService";

const unauthenticated = (pattern: RegExp) => (error: unknown) => KinoError.is(error, "unauthenticated") && pattern.test(error.message);

/** Signs any header and claims with the gateway's real key, as a buggy or hostile signer might. */
function signed(header: object, claims: object): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${sign(null, Buffer.from(input), gatewayIdentity.privateKey).toString("base64url")}`;
}
const now = () => Math.floor(Date.now() / 1000);
const header = { alg: "EdDSA", kid: gatewayIdentity.kid, typ: "kino-caller+jwt" };

test("an assertion minted by a trusted service verifies, names the user, role and address, and is reused while fresh", async () => {
  const minter = createAssertionMinter(gatewayIdentity);
  const token = minter.assertionFor(audience, { userId: "alice", role: "admin", clientAddress: "203.0.113.9" });
  assert.equal(minter.assertionFor(audience, { userId: "alice", role: "admin", clientAddress: "203.0.113.9" }), token);
  assert.notEqual(minter.assertionFor(audience, { userId: "bob" }), token);
  const caller = await createAssertionVerifier(trust).verify(token, audience);
  assert.deepEqual(caller, { principal: "gateway", userId: "alice", role: "admin", clientAddress: "203.0.113.9" });
  const anonymous = await createAssertionVerifier(trust).verify(minter.assertionFor(audience), audience);
  assert.deepEqual(anonymous, { principal: "gateway", userId: undefined, role: undefined, clientAddress: undefined });
});

test("forged, replayed and malformed assertions are refused as unauthenticated", async () => {
  const verifier = createAssertionVerifier(trust);
  const minter = createAssertionMinter(gatewayIdentity);
  const good = minter.assertionFor(audience, { userId: "alice" });
  const [h, p, s] = good.split(".") as [string, string, string];

  const claims = { iss: "gateway", aud: audience, sub: "alice", iat: now(), exp: now() + 60 };
  const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, sub: "mallory" })).toString("base64url");
  await assert.rejects(verifier.verify(`${h}.${tamperedPayload}.${s}`, audience), unauthenticated(/bad signature/));
  const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "kino-caller+jwt" })).toString("base64url")}.${p}.`;
  await assert.rejects(verifier.verify(none, audience), unauthenticated(/not valid/));
  await assert.rejects(verifier.verify("not-a-jwt", audience), unauthenticated(/not valid/));

  // Another key claiming to be the gateway.
  const impostor = createAssertionMinter(identityFrom(generateServiceCredentials(["gateway"]).identities.get("gateway")!));
  await assert.rejects(verifier.verify(impostor.assertionFor(audience, { userId: "alice" }), audience), unauthenticated(/does not trust/));

  // Issued for analytics, replayed at the catalog.
  await assert.rejects(verifier.verify(minter.assertionFor("kino.analytics.v1.AnalyticsService", { userId: "alice" }), audience), unauthenticated(/another service/));

  // The gateway's key, but the transcoder's name.
  await assert.rejects(verifier.verify(signed(header, { ...claims, iss: "transcoder" }), audience), unauthenticated(/issuer does not match/));
  await assert.rejects(verifier.verify(signed(header, { ...claims, iat: now() - 120, exp: now() - 60 }), audience), unauthenticated(/expired/));
  await assert.rejects(verifier.verify(signed(header, { ...claims, exp: now() + 3600 }), audience), unauthenticated(/longer than 60 s/));
  await assert.rejects(verifier.verify(signed({ ...header, typ: "JWT" }, claims), audience), unauthenticated(/not valid/));
  await assert.rejects(verifier.verify(signed(header, { ...claims, sub: "../../etc" }), audience), unauthenticated(/not a user id/));
  await assert.rejects(verifier.verify(signed(header, { ...claims, role: "root" }), audience), unauthenticated(/unknown role/));
  await verifier.verify(signed(header, claims), audience);
});

test("an assertion expires with the clock even after it verified once", async () => {
  let clock = Date.now();
  const minter = createAssertionMinter(gatewayIdentity, () => clock);
  const verifier = createAssertionVerifier(trust, () => clock);
  const token = minter.assertionFor(audience, { userId: "alice" });
  await verifier.verify(token, audience);
  clock += 70_000;
  await assert.rejects(verifier.verify(token, audience), unauthenticated(/expired/));
  assert.notEqual(minter.assertionFor(audience, { userId: "alice" }), token, "the minter signs a fresh one");
});

test("caller rules: a service outside the list, or any call made for a user on an internal method, is PermissionDenied", () => {
  const internal = { from: ["transcoder"], onBehalfOfUsers: false };
  checkCallerRule(internal, { principal: "transcoder", userId: undefined, role: undefined, clientAddress: undefined }, "M");
  const denied = (pattern: RegExp) => (error: unknown) => KinoError.is(error, "permission_denied") && pattern.test((error as Error).message);
  assert.throws(() => checkCallerRule(internal, { principal: "gateway", userId: undefined, role: undefined, clientAddress: undefined }, "M"), denied(/not open to the gateway/));
  assert.throws(() => checkCallerRule(internal, { principal: "transcoder", userId: "alice", role: "user", clientAddress: undefined }, "M"), denied(/internal/));
  assert.throws(() => checkCallerRule(undefined, { principal: "transcoder", userId: undefined, role: undefined, clientAddress: undefined }, "M"), denied(/not open/));
});
