import { generateKeyPairSync } from "node:crypto";
import { accessTokenAlgorithm, type JSONWebKeySet } from "@kino/auth-tokens";
import { calculateJwkThumbprint, importJWK, type CryptoKey } from "jose";
import { sql, type Kysely, type Transaction } from "kysely";
import type { AuthDatabase, JsonWebKeyRow } from "./schema.ts";
import { accessTokenLifetimeMs } from "./access-tokens.ts";
import type { KeySealer } from "./signing-key-sealer.ts";

/** A retired key verifies this long after it stopped signing: its last token's life, plus clock skew between hosts. */
export const retiredKeyVerifiesMs = accessTokenLifetimeMs + 60_000;

// Serialises rotations across processes: one key becomes current at a time.
const rotationLock = 0x6b696e6f_61757468n;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

async function insertNewKey(trx: Transaction<AuthDatabase>, now: Date, sealer: KeySealer): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicJwk = publicKey.export({ format: "jwk" }) as JsonWebKeyRow;
  const privateJwk = privateKey.export({ format: "jwk" }) as JsonWebKeyRow;
  const kid = await calculateJwkThumbprint({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x });
  await trx
    .insertInto("signing_keys")
    .values({ kid, public_jwk: JSON.stringify(publicJwk), private_jwk: JSON.stringify(sealer.seal(privateJwk, kid)), created_at: now })
    .execute();
  return kid;
}

async function lockRotation(trx: Transaction<AuthDatabase>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${rotationLock})`.execute(trx);
}

/** Makes a key if none signs yet (a fresh database). Returns the kid that signs. */
export async function ensureSigningKey(db: Kysely<AuthDatabase>, now: Date, sealer: KeySealer): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await lockRotation(trx);
    const current = await trx.selectFrom("signing_keys").select("kid").where("retired_at", "is", null).executeTakeFirst();
    return current?.kid ?? insertNewKey(trx, now, sealer);
  });
}

/**
 * A new key signs from now on; the keys it replaces stay in the JWKS until
 * every token they signed has expired. Returns the new kid.
 */
export async function rotateSigningKey(db: Kysely<AuthDatabase>, now: Date, sealer: KeySealer): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await lockRotation(trx);
    await trx.updateTable("signing_keys").set({ retired_at: now }).where("retired_at", "is", null).execute();
    return insertNewKey(trx, now, sealer);
  });
}

/** Reads keys from the database on every use, so a rotation by any process takes effect at once. */
export class SigningKeys {
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly db: Kysely<AuthDatabase>,
    private readonly sealer: KeySealer,
  ) {}

  async current(): Promise<SigningKey> {
    const row = await this.db
      .selectFrom("signing_keys")
      .select(["kid", "private_jwk"])
      .where("retired_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (!row) throw new Error("no signing key: ensureSigningKey runs at start");
    let key = this.imported.get(row.kid);
    if (!key) {
      key = importJWK(this.sealer.open(row.private_jwk, row.kid), accessTokenAlgorithm) as Promise<CryptoKey>;
      this.imported.set(row.kid, key);
    }
    return { kid: row.kid, privateKey: await key };
  }

  async jwks(now: Date): Promise<JSONWebKeySet> {
    const rows = await this.db
      .selectFrom("signing_keys")
      .select(["kid", "public_jwk"])
      .where((eb) => eb.or([eb("retired_at", "is", null), eb("retired_at", ">", new Date(now.getTime() - retiredKeyVerifiesMs))]))
      .orderBy("created_at", "desc")
      .execute();
    return {
      keys: rows.map(({ kid, public_jwk }) => ({
        kty: public_jwk.kty,
        crv: public_jwk.crv,
        x: public_jwk.x,
        kid,
        alg: accessTokenAlgorithm,
        use: "sig",
      })),
    };
  }
}
