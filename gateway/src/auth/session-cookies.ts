import { randomBytes } from "node:crypto";
import type { HandlerContext } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { TokensSchema } from "@kino/proto/auth/v1";
import { cookieValue, csrfCookie, csrfHeader, sessionCookie } from "./credentials.ts";

/** A request header asking sign-in, refresh and sign-out to keep tokens in cookies instead of the body (the web app). */
export const sessionModeHeader = "x-kino-session";
export const refreshCookie = "kino_refresh";
// The refresh token only ever travels to the RPCs that spend it.
const refreshPath = "/kino.auth.v1.AuthService/";

export interface CookiePolicy {
  /** Set when the public URL is https, so cookies never travel in clear. */
  secure: boolean;
}

export function wantsCookies(context: HandlerContext): boolean {
  return context.requestHeader.get(sessionModeHeader) === "cookie";
}

function cookie(name: string, value: string, options: { path: string; maxAgeSeconds: number; httpOnly: boolean }, policy: CookiePolicy): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "SameSite=Strict",
    ...(options.httpOnly ? ["HttpOnly"] : []),
    ...(policy.secure ? ["Secure"] : []),
  ].join("; ");
}

const secondsUntil = (time: { seconds?: bigint } | undefined) => (time?.seconds !== undefined ? Number(time.seconds) - Date.now() / 1000 : 0);

/**
 * Moves a session's tokens into cookies: the access token and the refresh
 * token HttpOnly (script never sees them), and a CSRF value script can read
 * and must echo in `x-kino-csrf`. The body keeps only the user id and the
 * expiry times.
 */
type TokensInit = MessageInitShape<typeof TokensSchema>;

export function setSessionCookies(context: HandlerContext, tokens: TokensInit, policy: CookiePolicy): TokensInit {
  const refreshSeconds = secondsUntil(tokens.refreshTokenExpireTime);
  context.responseHeader.append("set-cookie", cookie(sessionCookie, tokens.accessToken ?? "", { path: "/", maxAgeSeconds: secondsUntil(tokens.accessTokenExpireTime), httpOnly: true }, policy));
  context.responseHeader.append("set-cookie", cookie(refreshCookie, tokens.refreshToken ?? "", { path: refreshPath, maxAgeSeconds: refreshSeconds, httpOnly: true }, policy));
  context.responseHeader.append("set-cookie", cookie(csrfCookie, randomBytes(24).toString("base64url"), { path: "/", maxAgeSeconds: refreshSeconds, httpOnly: false }, policy));
  return { ...tokens, accessToken: "", refreshToken: "" };
}

export function clearSessionCookies(context: HandlerContext, policy: CookiePolicy): void {
  context.responseHeader.append("set-cookie", cookie(sessionCookie, "", { path: "/", maxAgeSeconds: 0, httpOnly: true }, policy));
  context.responseHeader.append("set-cookie", cookie(refreshCookie, "", { path: refreshPath, maxAgeSeconds: 0, httpOnly: true }, policy));
  context.responseHeader.append("set-cookie", cookie(csrfCookie, "", { path: "/", maxAgeSeconds: 0, httpOnly: false }, policy));
}

/** The refresh token from its cookie, for a cookie-mode Refresh or SignOut; these need the CSRF echo too. */
export function refreshTokenFromCookie(context: HandlerContext): string {
  const cookies = context.requestHeader.get("cookie");
  const csrf = cookieValue(cookies, csrfCookie);
  if (!csrf || csrf !== context.requestHeader.get(csrfHeader)) {
    throw new KinoError("permission_denied", "a cookie session must echo the kino_csrf cookie in the x-kino-csrf header");
  }
  const token = cookieValue(cookies, refreshCookie);
  if (!token) throw new KinoError("unauthenticated", "no session cookie: sign in again");
  return token;
}
