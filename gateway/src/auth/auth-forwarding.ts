import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import { AuthService } from "@kino/proto/auth/v1";
import { toConnectError } from "../rpc/connect-error.ts";
import { forwardService, type ForwardOptions } from "../rpc/forward-service.ts";
import { clearSessionCookies, refreshTokenFromCookie, setSessionCookies, wantsCookies, type CookiePolicy } from "./session-cookies.ts";

/**
 * AuthService through the gateway: forwarded as it is, except that a web
 * client asking for cookie sessions (`x-kino-session: cookie`) gets its
 * tokens as cookies rather than in the answer, and refreshes and signs out
 * with the cookie.
 */
function cookieRefreshToken(context: HandlerContext): string {
  try {
    return refreshTokenFromCookie(context);
  } catch (error) {
    throw toConnectError(error, "gateway");
  }
}

export function authServiceForwarding(
  options: Omit<ForwardOptions<typeof AuthService>, "service" | "upstream"> & { client: GrpcClient<typeof AuthService>; cookies: CookiePolicy; logger: Logger },
): ServiceImpl<typeof AuthService> {
  const forwarded = forwardService({ ...options, service: AuthService, upstream: "auth" });
  const policy = options.cookies;
  return {
    ...forwarded,
    async signIn(request, context) {
      const response = await forwarded.signIn(request, context);
      return wantsCookies(context) && response.tokens ? { ...response, tokens: setSessionCookies(context, response.tokens, policy) } : response;
    },
    async signInWithCode(request, context) {
      const response = await forwarded.signInWithCode(request, context);
      return wantsCookies(context) && response.tokens ? { ...response, tokens: setSessionCookies(context, response.tokens, policy) } : response;
    },
    async refresh(request, context) {
      if (!wantsCookies(context)) return forwarded.refresh(request, context);
      const response = await forwarded.refresh({ ...request, refreshToken: cookieRefreshToken(context) }, context);
      return response.tokens ? { ...response, tokens: setSessionCookies(context, response.tokens, policy) } : response;
    },
    async signOut(request, context) {
      if (!wantsCookies(context)) return forwarded.signOut(request, context);
      const response = await forwarded.signOut({ ...request, refreshToken: cookieRefreshToken(context) }, context);
      clearSessionCookies(context, policy);
      return response;
    },
  } as ServiceImpl<typeof AuthService>;
}
