import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { csrfCookieName, csrfHeaderName, hasSessionCookie, readCookie } from "./cookies.ts";

// The RPCs that hand out or spend tokens: in cookie mode the gateway keeps the tokens in HttpOnly cookies.
const tokenMethods = new Set(["SignIn", "SignInWithCode", "Refresh", "SignOut"]);

/** Echoes the CSRF cookie on every call, read afresh each time (Refresh replaces it). */
export const csrfEcho: Interceptor = (next) => (request) => {
  const csrf = readCookie(csrfCookieName);
  if (csrf) request.header.set(csrfHeaderName, csrf);
  return next(request);
};

/** Asks for cookie sessions, so no token ever reaches script or storage. */
export const cookieSessions: Interceptor = (next) => (request) => {
  if (request.service.typeName === "kino.auth.v1.AuthService" && tokenMethods.has(request.method.name)) {
    request.header.set("x-kino-session", "cookie");
  }
  return next(request);
};

/**
 * An access cookie lives 15 minutes; the refresh cookie much longer. A unary
 * call refused as Unauthenticated while the browser still holds a session is
 * retried once after a Refresh; `refresh` is shared by concurrent calls.
 */
export function refreshOnUnauthenticated(refresh: () => Promise<boolean>): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      const retryable =
        !request.stream &&
        !tokenMethods.has(request.method.name) &&
        ConnectError.from(error).code === Code.Unauthenticated &&
        hasSessionCookie();
      if (!retryable || !(await refresh())) throw error;
      return next(request);
    }
  };
}
