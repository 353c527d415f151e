import type { Kysely } from "kysely";
import { ApiKeyRepository } from "./api-key-repository.ts";
import { allScopeNames } from "./api-key-scopes.ts";
import { newApiKeyId, newApiKeySecret } from "./api-key-secrets.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import type { AuthDatabase } from "./schema.ts";
import { UserRepository } from "./user-repository.ts";

export const bootstrapKeyName = "kino up";

export interface BootstrappedAdmin {
  userId: string;
  /** The new key's secret: for the one line the command prints, never for a log. */
  apiKey: string;
  keyId: string;
  created: boolean;
}

/**
 * A verified admin with `email` (created with `password`, or an existing
 * account promoted; a disabled one is refused and left as it is) and a new
 * API key with every scope, named "kino up".
 * Each run makes a new key; earlier ones keep working until revoked.
 */
export async function bootstrapAdmin(
  db: Kysely<AuthDatabase>,
  admin: { email: string; password: string },
  hasher: PasswordHasher,
  now: Date,
): Promise<BootstrappedAdmin> {
  const ready = await new UserRepository(db).ensureVerifiedAdmin(
    { email: admin.email, displayName: "Kino admin", passwordHash: await hasher.hash(admin.password) },
    now,
  );
  // Left as it is (not promoted): disabling was someone's decision, which a bootstrap should not undo.
  if (!ready) throw new Error("the account with KINO_BOOTSTRAP_EMAIL is disabled: an admin must enable it first");
  const { user, created } = ready;
  const { secret, prefix, hash } = newApiKeySecret();
  const key = await new ApiKeyRepository(db).insert({
    id: newApiKeyId(),
    userId: user.id,
    name: bootstrapKeyName,
    prefix,
    secretHash: hash,
    scopes: [...allScopeNames],
    createdAt: now,
    expiresAt: null,
  });
  return { userId: user.id, apiKey: secret, keyId: key.id, created };
}
