import { accessTokenAlgorithm } from "@kino/auth-tokens";
import { SignJWT } from "jose";
import type { SigningKey } from "./signing-keys.ts";

export const accessTokenLifetimeMs = 15 * 60_000;

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
}

export async function signAccessToken(
  key: SigningKey,
  subject: { userId: string; sessionId: string },
  settings: AccessTokenSettings,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt * 1000) + accessTokenLifetimeMs);
  const token = await new SignJWT({ sid: subject.sessionId })
    .setProtectedHeader({ alg: accessTokenAlgorithm, kid: key.kid, typ: "JWT" })
    .setSubject(subject.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt };
}
