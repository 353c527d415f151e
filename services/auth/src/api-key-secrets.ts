import { createHash, randomBytes, randomInt } from "node:crypto";

const prefixAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
const prefixLength = 8;

/** kino_ + 8 readable characters + _ + 32 random bytes in base64url (43 characters). */
export const apiKeySecretPattern = /^kino_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/;

export interface NewApiKeySecret {
  secret: string;
  prefix: string;
  hash: Buffer;
}

/**
 * SHA-256 of the whole secret. The secret holds 256 random bits, so a fast
 * hash is enough (no salt, no argon2), and a key is found by its hash: no
 * comparison ever runs over the secret, so timing tells nothing about it.
 */
export function apiKeySecretHash(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

/**
 * A fresh secret. The prefix only helps people tell keys apart ("kino_3fk2…");
 * the 32 random bytes after it are what make the key unguessable.
 */
export function newApiKeySecret(): NewApiKeySecret {
  let prefix = "";
  for (let i = 0; i < prefixLength; i++) prefix += prefixAlphabet[randomInt(prefixAlphabet.length)];
  const secret = `kino_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, hash: apiKeySecretHash(secret) };
}

/** 16 random bytes in base64url: names a key in lists and RevokeApiKey; not a secret. */
export function newApiKeyId(): string {
  return randomBytes(16).toString("base64url");
}
