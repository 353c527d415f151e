/** The CSRF cookie the gateway sets with a cookie session: readable by script, echoed in x-kino-csrf on every call. */
export const csrfCookieName = "kino_csrf";
export const csrfHeaderName = "x-kino-csrf";

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Whether the browser still holds a session (the CSRF cookie lives as long as the refresh token). */
export function hasSessionCookie(): boolean {
  return Boolean(readCookie(csrfCookieName));
}

/** Headers for plain-HTTP calls that change state (avatar upload, tus): the CSRF echo. */
export function csrfHeaders(): Record<string, string> {
  const csrf = readCookie(csrfCookieName);
  return csrf ? { [csrfHeaderName]: csrf } : {};
}
