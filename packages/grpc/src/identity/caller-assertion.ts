import { sign } from "node:crypto";
import type { ServiceIdentity } from "./service-credentials.ts";

/** The metadata key a caller assertion travels in; the only way a service learns who calls. */
export const callerAssertionMetadataKey = "kino-caller-assertion";
export const callerAssertionType = "kino-caller+jwt";

/** Whom a service-to-service call is made for; nobody (the service itself, or an anonymous viewer) when empty. */
export interface OnBehalfOf {
  userId?: string;
  role?: "user" | "admin";
  /** The end client's address, for per-address limits downstream. */
  clientAddress?: string;
}

export interface CallerAssertionClaims {
  /** The signing service's principal. */
  iss: string;
  /** The called gRPC service's full name: an assertion for the catalog is no use at analytics. */
  aud: string;
  sub?: string;
  role?: "user" | "admin";
  ip?: string;
  iat: number;
  exp: number;
}

export const assertionLifetimeSeconds = 60;
// Reused for half its life, so a busy gateway signs once per caller and
// service every 30 s instead of on every call, and a receiver always gets
// at least 30 s of validity.
const reuseSeconds = assertionLifetimeSeconds / 2;
const maxCachedAssertions = 10_000;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export interface AssertionMinter {
  readonly principal: string;
  /** A compact JWS (EdDSA) for one service and caller, valid 60 s. */
  assertionFor(audience: string, onBehalfOf?: OnBehalfOf): string;
}

/** Signs caller assertions with the process's own key (Ed25519 signing is synchronous in node:crypto). */
export function createAssertionMinter(identity: ServiceIdentity, now: () => number = Date.now): AssertionMinter {
  const header = base64url({ alg: "EdDSA", kid: identity.kid, typ: callerAssertionType });
  const cache = new Map<string, { token: string; reuseUntil: number }>();
  return {
    principal: identity.principal,
    assertionFor(audience, onBehalfOf = {}) {
      const key = `${audience}\n${onBehalfOf.userId ?? ""}\n${onBehalfOf.role ?? ""}\n${onBehalfOf.clientAddress ?? ""}`;
      const nowSeconds = Math.floor(now() / 1000);
      const cached = cache.get(key);
      if (cached && cached.reuseUntil > nowSeconds) return cached.token;
      const claims: CallerAssertionClaims = {
        iss: identity.principal,
        aud: audience,
        ...(onBehalfOf.userId ? { sub: onBehalfOf.userId } : {}),
        ...(onBehalfOf.userId && onBehalfOf.role ? { role: onBehalfOf.role } : {}),
        ...(onBehalfOf.clientAddress ? { ip: onBehalfOf.clientAddress } : {}),
        iat: nowSeconds,
        exp: nowSeconds + assertionLifetimeSeconds,
      };
      const input = `${header}.${base64url(claims)}`;
      const token = `${input}.${sign(null, Buffer.from(input), identity.privateKey).toString("base64url")}`;
      if (cache.size >= maxCachedAssertions) cache.clear();
      cache.set(key, { token, reuseUntil: nowSeconds + reuseSeconds });
      return token;
    },
  };
}
