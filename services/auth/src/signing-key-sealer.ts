import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { JsonWebKeyRow } from "./schema.ts";

/** A private JWK encrypted with AES-256-GCM; the kid is authenticated with it, so rows cannot be swapped. */
export interface SealedKey {
  sealed: "A256GCM";
  iv: string;
  tag: string;
  ciphertext: string;
}

export type StoredPrivateKey = JsonWebKeyRow | SealedKey;

export interface KeySealer {
  seal(jwk: JsonWebKeyRow, kid: string): StoredPrivateKey;
  open(stored: StoredPrivateKey, kid: string): JsonWebKeyRow;
}

function isSealed(stored: StoredPrivateKey): stored is SealedKey {
  return "sealed" in stored;
}

/**
 * Encrypts private signing keys at rest with a key derived from `secret`
 * (KINO_AUTH_SIGNING_KEY_SECRET). Without a secret keys are stored as they
 * are. Keys stored before a secret was set still open; they leave with the
 * next rotation.
 */
export function createKeySealer(secret: string): KeySealer {
  const key = secret === "" ? undefined : Buffer.from(hkdfSync("sha256", secret, "", "kino auth signing keys", 32));
  return {
    seal(jwk, kid) {
      if (!key) return jwk;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(kid));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(jwk)), cipher.final()]);
      return { sealed: "A256GCM", iv: iv.toString("base64url"), tag: cipher.getAuthTag().toString("base64url"), ciphertext: ciphertext.toString("base64url") };
    },
    open(stored, kid) {
      if (!isSealed(stored)) return stored;
      if (!key) throw new Error(`signing key ${kid} is encrypted: KINO_AUTH_SIGNING_KEY_SECRET is needed`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(stored.iv, "base64url")).setAAD(Buffer.from(kid));
        decipher.setAuthTag(Buffer.from(stored.tag, "base64url"));
        const plain = Buffer.concat([decipher.update(Buffer.from(stored.ciphertext, "base64url")), decipher.final()]);
        return JSON.parse(plain.toString("utf8")) as JsonWebKeyRow;
      } catch {
        throw new Error(`signing key ${kid} does not decrypt: KINO_AUTH_SIGNING_KEY_SECRET is not the one it was stored with`);
      }
    },
  };
}
