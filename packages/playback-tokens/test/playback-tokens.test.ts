import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { test } from "node:test";
import { createPlaybackTokens, PlaybackTokenError, type PlaybackTokenProblem } from "../src/index.ts";

const secret = "0123456789abcdef0123456789abcdef-playback";
const videoId = "abcdefghij0123456789";
const otherVideoId = "zyxwvutsrq9876543210";
const now = Date.UTC(2030, 0, 1, 12, 0, 0);
const tokens = createPlaybackTokens(secret);

function refused(problem: PlaybackTokenProblem, verify: () => unknown): void {
  assert.throws(verify, (error: unknown) => {
    assert.ok(error instanceof PlaybackTokenError, String(error));
    assert.equal(error.problem, problem);
    assert.equal(error.code, "permission_denied");
    assert.equal(error.message, "the playback token is not valid for this video", "one message whatever went wrong");
    return true;
  });
}

/** Signs a payload of our own choosing the way README.md says, as a CDN edge or another language would. */
function signAsReadmeSays(payload: object, key = secret): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${encoded}.${createHmac("sha256", key).update(`kino-playback-v1.${encoded}`).digest("base64url")}`;
}

test("the token is the README's format: base64url JSON payload, dot, HMAC-SHA256 of the prefixed payload", () => {
  const { token, grant } = tokens.issue({ videoId, viewerId: "alice" }, now);
  assert.deepEqual(grant, { videoId, viewerId: "alice", expiresAt: now / 1000 + 6 * 3600 });
  assert.equal(token, signAsReadmeSays({ v: videoId, e: now / 1000 + 6 * 3600, u: "alice" }));
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, "URL-path safe as it is");
  assert.deepEqual(tokens.verify(token, videoId, now), grant);
  const anyone = tokens.issue({ videoId, ttlSeconds: 60 }, now);
  assert.deepEqual(tokens.verify(anyone.token, videoId, now), { videoId, expiresAt: now / 1000 + 60 });
  assert.deepEqual(tokens.verify(signAsReadmeSays({ v: videoId, e: now / 1000 + 5 }), videoId, now), { videoId, expiresAt: now / 1000 + 5 });
  assert.equal(
    token,
    "eyJ2IjoiYWJjZGVmZ2hpajAxMjM0NTY3ODkiLCJlIjoxODkzNTIwODAwLCJ1IjoiYWxpY2UifQ.SntJhnTWo7ZopYhQEd1HDUdjk9ohGoIpQeOPOwyz07k",
    "the README's example",
  );
});

test("a lifetime is 1 s to 24 h, 6 h when none is named", () => {
  assert.equal(tokens.issue({ videoId }, now).grant.expiresAt, now / 1000 + 21_600);
  assert.equal(tokens.issue({ videoId, ttlSeconds: 86_400 }, now).grant.expiresAt, now / 1000 + 86_400);
  for (const ttlSeconds of [0, -1, 86_401, 1.5]) {
    assert.throws(() => tokens.issue({ videoId, ttlSeconds }, now), /lives 1 to 86400 seconds/, String(ttlSeconds));
  }
  assert.throws(() => tokens.issue({ videoId: "../etc" }, now), /video id/);
  assert.throws(() => tokens.issue({ videoId, viewerId: "not a user" }, now), /user id/);
});

test("a token works until its expiry second, not at it", () => {
  const { token, grant } = tokens.issue({ videoId, ttlSeconds: 60 }, now);
  assert.deepEqual(tokens.verify(token, videoId, grant.expiresAt * 1000 - 1), grant);
  refused("expired", () => tokens.verify(token, videoId, grant.expiresAt * 1000));
  refused("expired", () => tokens.verify(token, videoId, grant.expiresAt * 1000 + 3600_000));
});

test("a token for another video is refused even though it is genuine", () => {
  const { token } = tokens.issue({ videoId: otherVideoId }, now);
  refused("other_video", () => tokens.verify(token, videoId, now));
});

test("tampering with the payload or signature, or another secret, is refused", () => {
  const { token } = tokens.issue({ videoId }, now);
  const [payload, signature] = token.split(".") as [string, string];
  // The same signature over a payload granting a viewer, a later expiry or another video.
  for (const forged of [{ v: videoId, e: now / 1000 + 21_600, u: "mallory" }, { v: videoId, e: now / 1000 + 86_000 }, { v: otherVideoId, e: now / 1000 + 21_600 }]) {
    refused("forged", () => tokens.verify(`${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`, videoId, now));
  }
  const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
  refused("forged", () => tokens.verify(`${payload}.${flipped}`, videoId, now));
  // The last character carries two spare bits: a decoder would read these spellings as the same bytes.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(signature.at(-1)!);
  for (const spare of [1, 2, 3]) {
    const respelled = signature.slice(0, -1) + alphabet[(last & ~3) | ((last + spare) & 3)];
    assert.deepEqual(Buffer.from(respelled, "base64url"), Buffer.from(signature, "base64url"));
    refused("forged", () => tokens.verify(`${payload}.${respelled}`, videoId, now));
  }
  refused("forged", () => createPlaybackTokens(randomBytes(32).toString("hex")).verify(token, videoId, now));
  refused("forged", () => tokens.verify(signAsReadmeSays({ v: videoId, e: now / 1000 + 60 }, `${secret}-other`), videoId, now));
});

test("anything not shaped like a token is malformed, and so is a genuine one living past 24 h", () => {
  const { token } = tokens.issue({ videoId }, now);
  const [payload, signature] = token.split(".") as [string, string];
  for (const bad of ["", ".", token + ".", `${payload}.${signature}.x`, `${payload}!.${signature}`, `${payload}.${signature.slice(1)}`, `${"A".repeat(500)}.${signature}`, `${payload}%2E${signature}`]) {
    refused("malformed", () => tokens.verify(bad, videoId, now));
  }
  // Signed with the secret, but nothing a correct issuer makes: claims of the wrong shape, or a lifetime past the maximum.
  for (const claims of [{ v: videoId }, { v: videoId, e: "soon" }, { v: videoId, e: now / 1000 + 60, u: "../x" }, [videoId], { v: "short", e: now / 1000 + 60 }, { v: videoId, e: now / 1000 + 86_400 + 61 }]) {
    refused("malformed", () => tokens.verify(signAsReadmeSays(claims), videoId, now));
  }
  assert.deepEqual(tokens.verify(signAsReadmeSays({ v: videoId, e: now / 1000 + 86_400 + 60 }), videoId, now).expiresAt, now / 1000 + 86_460, "a minute of clock skew is allowed");
});

test("a secret shorter than 32 characters is refused", () => {
  assert.throws(() => createPlaybackTokens("x".repeat(31)), /at least 32 characters/);
  assert.doesNotThrow(() => createPlaybackTokens("x".repeat(32)));
});
