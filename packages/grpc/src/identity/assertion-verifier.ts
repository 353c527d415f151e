import { KinoError, isOwnerId } from "@kino/platform";
import { errors, jwtVerify, type JWTHeaderParameters } from "jose";
import { assertionLifetimeSeconds, callerAssertionType, type CallerAssertionClaims } from "./caller-assertion.ts";
import type { TrustedServices } from "./service-credentials.ts";

/** A verified assertion: which service signed it, and whom it acts for. */
export interface VerifiedCaller {
  principal: string;
  userId: string | undefined;
  role: "user" | "admin" | undefined;
  clientAddress: string | undefined;
}

export interface AssertionVerifier {
  /** Resolves the caller, or rejects with an unauthenticated KinoError. */
  verify(token: string, audience: string): Promise<VerifiedCaller>;
}

const clockToleranceSeconds = 5;
const maxCachedVerdicts = 10_000;

function invalid(reason: string, cause?: unknown): KinoError {
  return new KinoError("unauthenticated", `caller assertion is not valid: ${reason}`, cause ? { cause } : undefined);
}

/**
 * Verifies assertions locally against the trusted public keys: EdDSA only,
 * the assertion type, a known kid whose principal is the issuer, the
 * audience this service, at most 60 s of life. A token that verified is
 * remembered until it expires, so the same caller costs one signature check
 * per token rather than per call.
 */
export function createAssertionVerifier(trust: TrustedServices, now: () => number = Date.now): AssertionVerifier {
  const verdicts = new Map<string, { caller: VerifiedCaller; audience: string; exp: number }>();
  return {
    async verify(token, audience) {
      const nowSeconds = Math.floor(now() / 1000);
      const known = verdicts.get(token);
      if (known && known.audience === audience && known.exp + clockToleranceSeconds > nowSeconds) return known.caller;
      let issuerOfKey = "";
      let claims: CallerAssertionClaims;
      try {
        const { payload } = await jwtVerify<CallerAssertionClaims>(
          token,
          (header: JWTHeaderParameters) => {
            const entry = header.kid === undefined ? undefined : trust.byKid.get(header.kid);
            if (!entry) throw invalid("signed by a key this service does not trust");
            issuerOfKey = entry.principal;
            return entry.publicKey;
          },
          {
            algorithms: ["EdDSA"],
            typ: callerAssertionType,
            audience,
            requiredClaims: ["iss", "iat", "exp"],
            clockTolerance: clockToleranceSeconds,
            currentDate: new Date(nowSeconds * 1000),
          },
        );
        claims = payload;
      } catch (error) {
        if (error instanceof KinoError) throw error;
        if (error instanceof errors.JWTExpired) throw invalid("expired", error);
        if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") throw invalid(`issued for another service, not ${audience}`, error);
        throw invalid("bad signature or malformed", error);
      }
      if (claims.iss !== issuerOfKey) throw invalid("issuer does not match its key");
      if (claims.exp - claims.iat > assertionLifetimeSeconds) throw invalid(`lives longer than ${assertionLifetimeSeconds} s`);
      if (claims.sub !== undefined && (typeof claims.sub !== "string" || !isOwnerId(claims.sub))) throw invalid("subject is not a user id");
      if (claims.role !== undefined && claims.role !== "user" && claims.role !== "admin") throw invalid("unknown role");
      const caller: VerifiedCaller = {
        principal: claims.iss,
        userId: claims.sub,
        role: claims.sub ? (claims.role ?? "user") : undefined,
        clientAddress: typeof claims.ip === "string" && claims.ip !== "" ? claims.ip : undefined,
      };
      if (verdicts.size >= maxCachedVerdicts) verdicts.clear();
      verdicts.set(token, { caller, audience, exp: claims.exp });
      return caller;
    },
  };
}
