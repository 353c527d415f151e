import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startTestAccounts, type TestAccounts, type TestUser } from "@kino/auth-service/test-accounts";
import { startTestCatalog, type StartedTestCatalog } from "@kino/catalog-service/testing";
import { silentLogger } from "@kino/platform";
import { AnalyticsService } from "@kino/proto/analytics/v1";
import { ApiKeyScope, AuthService } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { startGateway, type RunningGateway } from "../src/gateway.ts";
import type { GatewayConfig } from "../src/config.ts";
import { testGatewayConfig } from "./start-test-stack.ts";

let offsetMs = 0;
let accounts: TestAccounts;
let catalog: StartedTestCatalog;
let first: RunningGateway;
let second: RunningGateway;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

const base = (gateway: RunningGateway) => `http://127.0.0.1:${gateway.port}`;

function gatewayConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return testGatewayConfig(catalog.catalog.grpcPort, {
    authUrl: accounts.authUrl,
    accessTokenIssuer: accounts.gatewayEnv.KINO_AUTH_ISSUER!,
    accessTokenAudience: accounts.gatewayEnv.KINO_AUTH_AUDIENCE!,
    accountCacheMs: 500,
    rateLimitPerMinute: 0,
    ...overrides,
  });
}

before(async () => {
  accounts = await startTestAccounts({ clock: () => new Date(Date.now() + offsetMs) });
  catalog = await startTestCatalog();
  // Two gateway processes in front of the same services, as behind a load balancer.
  [first, second] = await Promise.all([startGateway({ config: gatewayConfig(), logger: silentLogger() }), startGateway({ config: gatewayConfig(), logger: silentLogger() })]);
  [alice, bob, carol] = await Promise.all([accounts.createUser("alice"), accounts.createUser("bob"), accounts.createUser("carol")]);
  await accounts.makeAdmin(carol);
});
after(async () => {
  await first.close();
  await second.close();
  await catalog.close();
  await accounts.close();
});

const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });

function catalogVia(gateway: RunningGateway): Client<typeof CatalogService> {
  return createClient(CatalogService, createConnectTransport({ baseUrl: base(gateway), httpVersion: "1.1" }));
}

async function refused(call: Promise<unknown>, code: Code, pattern?: RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.rawMessage, pattern);
    return true;
  });
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

test("a valid access token is the user; alg none, a wrong key, an unknown kid, a tampered payload, expiry and another audience are Unauthenticated", async () => {
  const videos = catalogVia(first);
  const { video } = await videos.createVideo({ title: "with a token" }, bearer(alice.accessToken));
  assert.equal(video!.ownerId, alice.userId);

  const [header, payload] = alice.accessToken.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const { kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string };
  const stranger = generateKeyPairSync("ed25519").privateKey;
  const signedBy = (key: typeof stranger, h: object, c: object) => {
    const input = `${b64(h)}.${b64(c)}`;
    return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
  };
  const forged = {
    "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
    "a wrong key under the real kid": signedBy(stranger, { alg: "EdDSA", kid, typ: "JWT" }, claims),
    "an unknown kid": signedBy(stranger, { alg: "EdDSA", kid: "no-such-kid", typ: "JWT" }, claims),
    "a tampered payload": `${header}.${b64({ ...claims, sub: bob.userId })}.${alice.accessToken.split(".")[2]}`,
    "an HMAC token keyed with the public key": signedBy(stranger, { alg: "HS256", kid, typ: "JWT" }, claims),
  };
  for (const [name, token] of Object.entries(forged)) {
    await refused(videos.createVideo({ title: name }, bearer(token)), Code.Unauthenticated, /access token is not valid/);
  }

  offsetMs = -20 * 60_000;
  const { tokens: stale } = await accounts.client.signIn({ email: alice.email, password: alice.password });
  offsetMs = 0;
  await refused(videos.createVideo({ title: "expired" }, bearer(stale!.accessToken)), Code.Unauthenticated, /expired/);

  const elsewhere = await startGateway({ config: gatewayConfig({ accessTokenAudience: "another-deployment" }), logger: silentLogger() });
  try {
    await refused(catalogVia(elsewhere).createVideo({ title: "audience" }, bearer(alice.accessToken)), Code.Unauthenticated, /not valid/);
  } finally {
    await elsewhere.close();
  }
});

test("after a key rotation, tokens signed before it still work and tokens signed after it work at once", async () => {
  const videos = catalogVia(first);
  const { tokens: before } = await accounts.client.signIn({ email: bob.email, password: bob.password });
  await videos.listVideos({}, bearer(before!.accessToken));
  await accounts.auth.rotateSigningKey();
  await sleep(1100); // the gateway refetches the JWKS for an unknown kid at most once a second
  const { tokens: afterRotation } = await accounts.client.signIn({ email: bob.email, password: bob.password });
  assert.notEqual(JSON.parse(Buffer.from(afterRotation!.accessToken.split(".")[0]!, "base64url").toString()).kid, JSON.parse(Buffer.from(before!.accessToken.split(".")[0]!, "base64url").toString()).kid);
  await videos.listVideos({}, bearer(afterRotation!.accessToken));
  await videos.listVideos({}, bearer(before!.accessToken));

  const jwks = (await (await fetch(`${base(second)}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] };
  assert.equal(jwks.keys.length, 2, "the retired key is published until its last token has expired");
  assert.ok(jwks.keys.every((key) => key.alg === "EdDSA"));
});

test("an API key revoked through one gateway process is refused by the other within 5 s", async () => {
  const key = await accounts.createKey(alice, [ApiKeyScope.VIDEOS_READ]);
  const onSecond = catalogVia(second);
  await onSecond.listVideos({}, bearer(key));
  const auth = createClient(AuthService, createConnectTransport({ baseUrl: base(first), httpVersion: "1.1" }));
  const { apiKeys } = await auth.listApiKeys({}, bearer(alice.accessToken));
  const listed = apiKeys.find((k) => key.startsWith(`kino_${k.prefix}_`));
  assert.ok(listed, "the key is listed by its prefix, without its secret");
  const revokedAt = Date.now();
  await auth.revokeApiKey({ keyId: listed.keyId }, bearer(alice.accessToken));
  for (;;) {
    try {
      await onSecond.listVideos({}, bearer(key));
    } catch (error) {
      assert.equal(ConnectError.from(error).code, Code.Unauthenticated);
      break;
    }
    assert.ok(Date.now() - revokedAt < 5000, "still accepted 5 s after revocation");
    await sleep(100);
  }
  assert.ok(Date.now() - revokedAt < 5000);
});

test("a key's scopes bound what it can do: videos:read reads, but cannot create, delete, read analytics or make keys", async () => {
  const reader = await accounts.createKey(alice, [ApiKeyScope.VIDEOS_READ]);
  const videos = catalogVia(first);
  const { video } = await videos.createVideo({ title: "alice's" }, bearer(alice.apiKey));
  assert.equal((await videos.getVideo({ id: video!.id }, bearer(reader))).video!.id, video!.id);
  await videos.listVideos({ ownerId: alice.userId }, bearer(reader));
  await refused(videos.createVideo({ title: "x" }, bearer(reader)), Code.PermissionDenied, /videos:write/);
  await refused(videos.deleteVideo({ id: video!.id }, bearer(reader)), Code.PermissionDenied, /videos:write/);
  await refused(videos.updateVideo({ id: video!.id, title: "y" }, bearer(reader)), Code.PermissionDenied, /videos:write/);
  const analytics = createClient(AnalyticsService, createConnectTransport({ baseUrl: base(first), httpVersion: "1.1" }));
  await refused(analytics.getVideoSummary({ videoId: video!.id }, bearer(reader)), Code.PermissionDenied, /analytics:read/);
  const auth = createClient(AuthService, createConnectTransport({ baseUrl: base(first), httpVersion: "1.1" }));
  await refused(auth.createApiKey({ name: "more", scopes: [ApiKeyScope.VIDEOS_WRITE] }, bearer(alice.apiKey)), Code.PermissionDenied, /signed-in person/);
  await refused(auth.listUsers({}, bearer(alice.accessToken)), Code.PermissionDenied);
  assert.ok((await auth.listUsers({}, bearer(carol.accessToken))).users.length >= 3, "an admin lists users");
});

test("a user an admin disables loses their access token and API keys within the account cache", async () => {
  const dave = await accounts.createUser("dave");
  const videos = catalogVia(first);
  await videos.listVideos({}, bearer(dave.accessToken));
  await videos.listVideos({}, bearer(dave.apiKey));
  const auth = createClient(AuthService, createConnectTransport({ baseUrl: base(first), httpVersion: "1.1" }));
  await auth.setUserDisabled({ userId: dave.userId, disabled: true }, bearer(carol.accessToken));
  await sleep(600);
  await refused(videos.listVideos({}, bearer(dave.accessToken)), Code.Unauthenticated, /disabled/);
  await sleep(3000); // the API key answer is reused up to 3 s
  await refused(videos.listVideos({}, bearer(dave.apiKey)), Code.Unauthenticated);
  await assert.rejects(accounts.client.refresh({ refreshToken: dave.refreshToken }), (error: { code: number }) => error.code === Code.Unauthenticated);
});

test("a web session lives in HttpOnly cookies; a cookie call needs the CSRF echo; refresh and sign-out work with the cookie", async () => {
  const url = `${base(first)}/kino.auth.v1.AuthService/SignIn`;
  const signIn = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-kino-session": "cookie" },
    body: JSON.stringify({ email: bob.email, password: bob.password }),
  });
  assert.equal(signIn.status, 200);
  const body = (await signIn.json()) as { tokens: Record<string, string> };
  assert.equal(body.tokens.accessToken, undefined, "no token reaches script");
  assert.equal(body.tokens.refreshToken, undefined);
  const cookies = signIn.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith("kino_session="))!;
  const refresh = cookies.find((c) => c.startsWith("kino_refresh="))!;
  const csrf = cookies.find((c) => c.startsWith("kino_csrf="))!;
  assert.match(session, /HttpOnly/);
  assert.match(session, /SameSite=Strict/);
  assert.match(refresh, /HttpOnly/);
  assert.match(refresh, /Path=\/kino\.auth\.v1\.AuthService\//);
  assert.doesNotMatch(csrf, /HttpOnly/, "script reads the CSRF value to echo it");
  const value = (cookie: string) => cookie.split(";")[0]!;
  const jar = [value(session), value(refresh), value(csrf)].join("; ");
  const csrfValue = value(csrf).split("=")[1]!;

  const create = (headers: Record<string, string>) =>
    fetch(`${base(first)}/kino.catalog.v1.CatalogService/CreateVideo`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: jar, ...headers },
      body: JSON.stringify({ title: "from the web app" }),
    });
  assert.equal((await create({})).status, 403, "a cookie alone, as a cross-site form would send it, is refused");
  assert.equal((await create({ "x-kino-csrf": "not-the-value-of-the-cookie" })).status, 403);
  const made = await create({ "x-kino-csrf": csrfValue });
  assert.equal(made.status, 200);
  assert.equal(((await made.json()) as { video: { ownerId: string } }).video.ownerId, bob.userId);

  const refreshed = await fetch(`${base(first)}/kino.auth.v1.AuthService/Refresh`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-kino-session": "cookie", cookie: jar, "x-kino-csrf": csrfValue },
    body: "{}",
  });
  assert.equal(refreshed.status, 200);
  assert.ok(refreshed.headers.getSetCookie().some((c) => c.startsWith("kino_refresh=") && !c.startsWith(value(refresh))), "the refresh token rotated");

  const signedOut = await fetch(`${base(first)}/kino.auth.v1.AuthService/SignOut`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-kino-session": "cookie", cookie: refreshed.headers.getSetCookie().map(value).join("; "), "x-kino-csrf": value(refreshed.headers.getSetCookie().find((c) => c.startsWith("kino_csrf="))!).split("=")[1]! },
    body: "{}",
  });
  assert.equal(signedOut.status, 200);
  assert.ok(signedOut.headers.getSetCookie().every((c) => /Max-Age=0/.test(c)), "every session cookie is cleared");
});

test("the 11th wrong password in a minute is throttled through the gateway with Retry-After, and says nothing about the account", async () => {
  const auth = createClient(AuthService, createConnectTransport({ baseUrl: base(first), httpVersion: "1.1" }));
  const erin = await accounts.createUser("erin");
  for (let i = 0; i < 10; i++) await refused(auth.signIn({ email: erin.email, password: `wrong ${i}` }), Code.Unauthenticated, /email or password is wrong/);
  await assert.rejects(auth.signIn({ email: erin.email, password: erin.password }), (error: unknown) => {
    const e = ConnectError.from(error);
    assert.equal(e.code, Code.ResourceExhausted, e.rawMessage);
    assert.ok(Number(e.metadata.get("retry-after")) >= 1, "Retry-After reaches the client");
    assert.doesNotMatch(e.rawMessage, new RegExp(erin.email.replace(/[.]/g, "\\.")));
    return true;
  });
  // The same throttle for an address nobody has: the answer does not tell whether an account exists.
  const nobody = `nobody.${process.pid}@example.com`;
  for (let i = 0; i < 10; i++) await refused(auth.signIn({ email: nobody, password: `wrong ${i}` }), Code.Unauthenticated, /email or password is wrong/);
  await refused(auth.signIn({ email: nobody, password: "wrong again" }), Code.ResourceExhausted);
});
