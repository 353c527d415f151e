/**
 * What an access token says, shared by the service that signs them and
 * everything that verifies them.
 */
export interface AccessTokenClaims {
  /** The account: `sub`. */
  userId: string;
  /** The session (refresh-token family) it was issued in: `sid`. */
  sessionId: string;
  expiresAt: Date;
}

/** The only algorithm Kino signs with; verifiers accept nothing else (no `none`, no HMAC confusion). */
export const accessTokenAlgorithm = "EdDSA";
