import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import type { CredentialsStore, StoredSession } from "./credentials-store.ts";

/** What sign-in and refresh answer: kino.auth.v1.Tokens. */
export interface SessionTokens {
  accessToken: string;
  accessTokenExpireTime?: Timestamp;
  refreshToken: string;
  refreshTokenExpireTime?: Timestamp;
  userId: string;
}

/** Trades a refresh token for new tokens (AuthService.Refresh); throws a ConnectError. */
export type Refresher = (refreshToken: string) => Promise<SessionTokens>;

/** A token older than this is refreshed before a call, so it cannot expire in flight. */
export const refreshMarginMs = 60_000;

export function storedSession(tokens: SessionTokens, email?: string): StoredSession {
  if (!tokens.accessToken || !tokens.refreshToken || !tokens.userId) {
    throw new KinoError("internal", "the auth service answered without tokens");
  }
  // Without an expiry, assume the shortest the service hands out, so a refresh comes early rather than late.
  const accessExpiry = tokens.accessTokenExpireTime ? timestampDate(tokens.accessTokenExpireTime) : new Date(Date.now() + 5 * 60_000);
  return {
    userId: tokens.userId,
    ...(email ? { email } : {}),
    accessToken: tokens.accessToken,
    accessTokenExpireTime: accessExpiry.toISOString(),
    refreshToken: tokens.refreshToken,
    ...(tokens.refreshTokenExpireTime ? { refreshTokenExpireTime: timestampDate(tokens.refreshTokenExpireTime).toISOString() } : {}),
  };
}

export function notSignedIn(gatewayUrl: string): KinoError {
  return new KinoError("unauthenticated", `not signed in to ${gatewayUrl}: run kino login (or set KINO_API_KEY)`);
}

export function sessionEnded(gatewayUrl: string): KinoError {
  return new KinoError(
    "unauthenticated",
    `your session on ${gatewayUrl} has ended (expired, signed out or revoked elsewhere): run kino login again`,
  );
}

export interface SessionAccessTokens {
  userId: string;
  /**
   * An access token good for at least refreshMarginMs, refreshed (and the
   * rotated refresh token saved) when the stored one is older. `rejected`:
   * a token the gateway refused although it had not expired; a newer one is
   * fetched unless another process already did.
   */
  accessToken(rejected?: string): Promise<string>;
}

export interface SessionOptions {
  store: CredentialsStore;
  gatewayUrl: string;
  refresh: Refresher;
  now?: () => number;
}

/** The access tokens of the session stored for a gateway; undefined when none is stored. */
export async function storedSessionTokens(options: SessionOptions): Promise<SessionAccessTokens | undefined> {
  const { store, gatewayUrl, refresh } = options;
  const now = options.now ?? Date.now;
  const first = await store.get(gatewayUrl);
  if (!first) return undefined;
  const fresh = (s: StoredSession) => Date.parse(s.accessTokenExpireTime) - now() > refreshMarginMs;
  let cached = first;

  return {
    userId: first.userId,
    async accessToken(rejected) {
      if (cached.accessToken !== rejected && fresh(cached)) return cached.accessToken;
      type Outcome = { ended: true } | { session: StoredSession };
      const outcome = await store.update<Outcome>(gatewayUrl, async (current) => {
        if (!current || current.userId !== first.userId) return { result: { ended: true } };
        // Another kino process may have refreshed while this one waited for the lock.
        if (current.accessToken !== rejected && fresh(current)) return { result: { session: current } };
        if (current.refreshTokenExpireTime && Date.parse(current.refreshTokenExpireTime) <= now()) {
          return { session: null, result: { ended: true } };
        }
        let tokens: SessionTokens;
        try {
          tokens = await refresh(current.refreshToken);
        } catch (error) {
          const code = ConnectError.from(error).code;
          // The session is over: forget it. Anything else (the gateway is down) leaves it for the next try.
          if (code === Code.Unauthenticated || code === Code.PermissionDenied) return { session: null, result: { ended: true } };
          throw new KinoError("unavailable", `could not refresh the session on ${gatewayUrl}: ${ConnectError.from(error).rawMessage}`, { cause: error });
        }
        const next = storedSession(tokens, current.email);
        return { session: next, result: { session: next } };
      });
      if ("ended" in outcome) throw sessionEnded(gatewayUrl);
      cached = outcome.session;
      return cached.accessToken;
    },
  };
}
