import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AuthService } from "@kino/proto/auth/v1";
import { cookieSessions, csrfEcho, refreshOnUnauthenticated } from "./interceptors.ts";

// The gateway serves the app, so the API is this page's own origin and cookies are first-party.
const baseUrl = window.location.origin;

const plainTransport = createConnectTransport({ baseUrl, useBinaryFormat: true, interceptors: [cookieSessions, csrfEcho] });
const auth = createClient(AuthService, plainTransport);

let refreshing: Promise<boolean> | undefined;

/** One Refresh at a time, whoever asks; resolves to whether the session lives on. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= auth
    .refresh({})
    .then(
      () => true,
      () => false,
    )
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** Every call of the app goes through this: cookie session, CSRF echo, one refresh-and-retry. */
export const transport = createConnectTransport({
  baseUrl,
  useBinaryFormat: true,
  interceptors: [refreshOnUnauthenticated(refreshSession), cookieSessions, csrfEcho],
});
