import type { ColumnType, Generated, Selectable } from "kysely";
import type { StoredPrivateKey } from "./signing-key-sealer.ts";

export interface UsersTable {
  id: string;
  /** As normalised (domain lower-cased); unique ignoring case. */
  email: string;
  display_name: string;
  /** A PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, parameters included. */
  password_hash: string;
  email_verified_at: Date | null;
  created_at: Generated<Date>;
  /** Checked here on every admin call, whatever a caller assertion claims. */
  role: Generated<AccountRole>;
  tier: Generated<TierName>;
  /** Set while the account is disabled: no sign-in, refresh or API key. */
  disabled_at: Date | null;
}

export type AccountRole = "user" | "admin";
export type TierName = "free" | "pro";

export type CodePurpose = "verify_email" | "sign_in" | "reset_password";

/** The one live code per account and purpose; a newer code replaces the row. */
export interface EmailCodesTable {
  user_id: string;
  purpose: CodePurpose;
  /** HMAC-SHA256 of the code keyed with `salt`: the code itself is never stored. */
  code_hash: Buffer;
  salt: Buffer;
  expires_at: Date;
  attempts: number;
  used_at: Date | null;
}

/** A session: every refresh token descended from one sign-in. */
export interface RefreshFamiliesTable {
  id: string;
  user_id: string;
  created_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  /** As the client gave it at sign-in; empty when it gave none. */
  client_description: Generated<string>;
  /** The sign-in, then each refresh. */
  last_used_at: Date;
}

export interface RefreshTokensTable {
  /** SHA-256 of the token: the token is 256 random bits, so no salt or slow hash is needed. */
  token_hash: Buffer;
  family_id: string;
  created_at: Date;
  expires_at: Date;
  /** Set when it was traded for the next token; presenting it again is reuse. */
  used_at: Date | null;
}

export interface SigningKeysTable {
  kid: string;
  public_jwk: ColumnType<JsonWebKeyRow, string, string>;
  /** Encrypted when KINO_AUTH_SIGNING_KEY_SECRET is set. Never logged nor returned. */
  private_jwk: ColumnType<StoredPrivateKey, string, string>;
  created_at: Date;
  /** When a newer key took over signing; it still verifies for one access-token lifetime. */
  retired_at: Date | null;
}

/** A key for servers. The secret is shown once at creation; only its SHA-256 is kept. */
export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  /** The 8 readable characters after "kino_", for telling keys apart; not secret, not unique. */
  prefix: string;
  secret_hash: Buffer;
  /** Scope names as in the contract, e.g. "videos:read"; sorted. */
  scopes: ColumnType<string[], string[], string[]>;
  created_at: Date;
  expires_at: Date | null;
  /** Written at most once a minute per key. */
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface JsonWebKeyRow {
  kty: string;
  crv: string;
  x: string;
  d?: string;
}

export interface AuthDatabase {
  users: UsersTable;
  email_codes: EmailCodesTable;
  refresh_families: RefreshFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  api_keys: ApiKeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
