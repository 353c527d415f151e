import { verifyAccessToken, type AccessTokenClaims } from "@kino/auth-tokens";
import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError, type Logger } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import { decodeProtectedHeader, type JSONWebKeySet } from "jose";

export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
  /** The JWKS as last fetched, for /.well-known/jwks.json. */
  jwks(): Promise<JSONWebKeySet>;
}

export interface AccessTokenVerifierOptions {
  auth: GrpcClient<typeof AuthService>;
  issuer: string;
  audience: string;
  /** How long a fetched JWKS is used before it is fetched again. */
  refreshMs?: number;
  /** An unknown kid refetches at most this often, so garbage kids cannot make the gateway hammer auth. */
  unknownKidRefetchMs?: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Verifies access tokens locally against the auth service's JWKS, fetched
 * and cached here: a request costs a signature check, not a call. A token
 * signed by a key minted since the last fetch (a rotation) triggers one
 * refetch.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const { refreshMs = 5 * 60_000, unknownKidRefetchMs = 1000, now = Date.now } = options;
  let cached: { jwks: JSONWebKeySet; fetchedAt: number } | undefined;
  let inFlight: Promise<JSONWebKeySet> | undefined;

  const fetchJwks = (): Promise<JSONWebKeySet> => {
    inFlight ??= options.auth
      .getJwks({}, { timeoutMs: 5000 })
      .then((response) => {
        const jwks = JSON.parse(response.jwksJson) as JSONWebKeySet;
        cached = { jwks, fetchedAt: now() };
        return jwks;
      })
      .catch((error: unknown) => {
        if (cached) {
          // Keep verifying with the keys we have; the next request tries again.
          options.logger.warn({ err: error }, "JWKS refresh failed; using the last one");
          return cached.jwks;
        }
        const kino = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
        throw new KinoError("unavailable", `cannot verify access tokens: auth service unavailable`, { cause: kino });
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const current = async (): Promise<JSONWebKeySet> => (cached && now() - cached.fetchedAt < refreshMs ? cached.jwks : fetchJwks());

  // A token that verified is remembered until it expires, so a client's
  // every call costs one signature check per token, not one per call.
  const verified = new Map<string, AccessTokenClaims>();
  const maxVerified = 10_000;

  return {
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt.getTime() > now()) return known;
        verified.delete(token);
      }
      let jwks = await current();
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        throw new KinoError("unauthenticated", "access token is not valid");
      }
      if (kid && !jwks.keys.some((key) => key.kid === kid) && cached && now() - cached.fetchedAt >= unknownKidRefetchMs) {
        jwks = await fetchJwks();
      }
      const claims = await verifyAccessToken(jwks, token, { issuer: options.issuer, audience: options.audience, currentDate: new Date(now()) });
      if (verified.size >= maxVerified) verified.clear();
      verified.set(token, claims);
      return claims;
    },
    jwks: current,
  };
}
