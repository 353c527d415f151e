import { createContextKey } from "@connectrpc/connect";

/** What a credential may do. A signed-in person holds every scope but `admin`, which needs the admin role. */
export const scopes = ["videos:read", "videos:write", "analytics:read", "admin"] as const;
export type Scope = (typeof scopes)[number];

export interface TierLimits {
  maxUploadBytes: bigint;
  maxStorageBytes: bigint;
  maxUploadsPerDay: number;
}

export interface SignedInCaller {
  kind: "user";
  userId: string;
  role: "user" | "admin";
  tier: string;
  limits: TierLimits;
  /** How the request proved who it is. */
  via: "access_token" | "session_cookie" | "api_key";
  scopes: ReadonlySet<Scope>;
}

export type GatewayCaller = { kind: "anonymous" } | SignedInCaller;

export const anonymous: GatewayCaller = { kind: "anonymous" };

/**
 * The caller of the current RPC, put in the call's context values by the
 * authenticator interceptor, once per request; handlers read it from here
 * and never look at credentials themselves.
 */
export const callerKey = createContextKey<GatewayCaller>(anonymous, { description: "authenticated caller" });

export function userIdOf(caller: GatewayCaller): string | undefined {
  return caller.kind === "user" ? caller.userId : undefined;
}
