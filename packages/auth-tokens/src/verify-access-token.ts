import { KinoError, isOwnerId } from "@kino/platform";
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { accessTokenAlgorithm, type AccessTokenClaims } from "./access-token.ts";

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** "Now", for tests; the system clock otherwise. */
  currentDate?: Date;
}

/**
 * Checks an access token against a JWKS (as GetJwks returns it): EdDSA only,
 * a known `kid`, a valid signature, the issuer and audience expected, not
 * expired. Anything else is one unauthenticated error; only expiry is told
 * apart, so a client knows to refresh.
 */
export async function verifyAccessToken(jwks: JSONWebKeySet, token: string, options: VerifyOptions): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: [accessTokenAlgorithm],
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "sid", "exp", "iat"],
      currentDate: options.currentDate,
    });
    const { sub, sid, exp } = payload;
    if (typeof sub !== "string" || !isOwnerId(sub) || typeof sid !== "string" || typeof exp !== "number") {
      throw new KinoError("unauthenticated", "access token is not valid");
    }
    return { userId: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
  } catch (error) {
    if (error instanceof KinoError) throw error;
    if (error instanceof errors.JWTExpired) throw new KinoError("unauthenticated", "access token has expired");
    throw new KinoError("unauthenticated", "access token is not valid", { cause: error });
  }
}
