import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuthService } from "@kino/proto/auth/v1";
import type { Refresher } from "../credentials/session.ts";

export type AuthClient = Client<typeof AuthService>;

/** kino.auth.v1.AuthService through the gateway over Connect; `interceptors` add a credential. */
export function createAuthClient(gatewayUrl: string, interceptors: Interceptor[] = []): AuthClient {
  return createClient(AuthService, createConnectTransport({ baseUrl: gatewayUrl, httpVersion: "1.1", interceptors }));
}

/** Refresh over an unauthenticated client: an expired access token in the header would only get the call refused. */
export function sessionRefresher(gatewayUrl: string): Refresher {
  const auth = createAuthClient(gatewayUrl);
  return async (refreshToken) => {
    const { tokens } = await auth.refresh({ refreshToken });
    if (!tokens) throw new Error("Refresh answered without tokens");
    return tokens;
  };
}
