import { ConfigError, type ConfigField } from "@kino/platform";

/** One master key: 32 bytes for AES-256-GCM, and the id stored beside every key it wraps. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The master keys a catalog holds: the current one wraps new keys; every one unwraps the keys it wrapped. */
export interface MasterKeyRing {
  readonly current: MasterKey;
  byId(id: string): MasterKey | undefined;
}

export const MASTER_KEY_ENV = "KINO_MEDIA_MASTER_KEY";
const MASTER_KEY_BYTES = 32;
const KEY_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `<id>:<base64 of 32 bytes>[,<id>:<base64>…]`, the first entry the
 * current key. To rotate: put the new key first and keep the old ones after
 * it for as long as keys they wrapped exist. Messages name the variable and
 * the entry, never the key material.
 */
export function parseMasterKeys(raw: string, env = MASTER_KEY_ENV): MasterKeyRing {
  const keys = new Map<string, MasterKey>();
  const entries = raw.split(",").map((e) => e.trim());
  let current: MasterKey | undefined;
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(":");
    const id = colon === -1 ? "" : entry.slice(0, colon);
    const material = colon === -1 ? "" : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      throw new ConfigError(env, `entry ${i + 1} must be <id>:<base64 key>, with an id of 1 to 32 characters of a-z, 0-9, '_' and '-' (e.g. "k1:" followed by 32 random bytes in base64)`);
    }
    const key = BASE64.test(material) ? Buffer.from(material, material.includes("-") || material.includes("_") ? "base64url" : "base64") : Buffer.alloc(0);
    if (key.length !== MASTER_KEY_BYTES) {
      throw new ConfigError(env, `key "${id}" must be ${MASTER_KEY_BYTES} bytes in base64 (AES-256), got ${BASE64.test(material) ? `${key.length} bytes` : "something that is not base64"}; make one with: openssl rand -base64 32`);
    }
    if (keys.has(id)) throw new ConfigError(env, `key id "${id}" appears twice`);
    const master = { id, key };
    keys.set(id, master);
    current ??= master;
  });
  return { current: current!, byId: (id) => keys.get(id) };
}

/** KINO_MEDIA_MASTER_KEY: optional; without it the catalog refuses to create protected videos and serves no keys. */
export function masterKeysField(env = MASTER_KEY_ENV): ConfigField<MasterKeyRing | undefined> {
  return {
    env,
    description: "master keys wrapping the content keys of protected videos: <id>:<base64 32 bytes>[,…], the first wraps new keys",
    parse: (raw) => (raw === undefined || raw.trim() === "" ? undefined : parseMasterKeys(raw, env)),
  };
}
