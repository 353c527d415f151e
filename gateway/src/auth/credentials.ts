import { KinoError } from "@kino/platform";

/** The name of the cookie that carries a web session's access token, and of its CSRF companion. */
export const sessionCookie = "kino_session";
export const csrfCookie = "kino_csrf";
export const csrfHeader = "x-kino-csrf";
/** API key secrets start with this, so one Authorization header can carry either kind of credential. */
export const apiKeyPrefix = "kino_";

export type PresentedCredential =
  | { kind: "none" }
  | { kind: "access_token"; token: string }
  | { kind: "api_key"; secret: string }
  | { kind: "session_cookie"; token: string; csrfMatches: boolean };

/** Reads one cookie from a Cookie header (RFC 6265 syntax, no decoding: Kino's values are base64url). */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Which credential a request presents. An Authorization header wins over a
 * cookie; a malformed one is an error rather than anonymous, so a typo never
 * silently downgrades a call.
 */
export function presentedCredential(get: (name: string) => string | null | undefined): PresentedCredential {
  const authorization = get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new KinoError("unauthenticated", "Authorization must be 'Bearer <access token or API key>'");
    const token = match[1]!;
    return token.startsWith(apiKeyPrefix) ? { kind: "api_key", secret: token } : { kind: "access_token", token };
  }
  const cookies = get("cookie");
  const token = cookieValue(cookies, sessionCookie);
  if (!token) return { kind: "none" };
  const csrf = cookieValue(cookies, csrfCookie);
  const echoed = get(csrfHeader);
  return { kind: "session_cookie", token, csrfMatches: Boolean(csrf && echoed && csrf.length >= 16 && csrf === echoed) };
}
