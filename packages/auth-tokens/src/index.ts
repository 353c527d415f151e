export { accessTokenAlgorithm, type AccessTokenClaims } from "./access-token.ts";
export { verifyAccessToken, type VerifyOptions } from "./verify-access-token.ts";
export type { JSONWebKeySet } from "jose";
