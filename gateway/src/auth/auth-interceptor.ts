import type { Interceptor } from "@connectrpc/connect";
import { KinoError } from "@kino/platform";
import { toConnectError } from "../rpc/connect-error.ts";
import type { Authenticator } from "./authenticator.ts";
import { callerKey } from "./caller.ts";
import { requiredScope, type ScopeRules } from "./method-scopes.ts";

/**
 * Authenticates each RPC once, before anything else reads it, and puts the
 * caller into the call's context values; then checks the method's scope.
 * Methods outside the rules (health, reflection) need no caller and get none.
 */
export function authInterceptor(authenticator: Authenticator, rules: readonly ScopeRules[]): Interceptor {
  return (next) => async (request) => {
    const rule = requiredScope(rules, request.method);
    if (!rule) return next(request);
    try {
      // Every RPC is a POST that may change state: a session cookie must come with its CSRF echo.
      const caller = await authenticator.authenticate((name) => request.header.get(name), { requireCsrf: true });
      if (caller.kind === "user") {
        if (rule.peopleOnly && caller.via === "api_key") {
          throw new KinoError("permission_denied", `${request.method.name} needs a signed-in person, not an API key`);
        }
        if (rule.scope && !caller.scopes.has(rule.scope)) {
          throw new KinoError("permission_denied", `${request.method.name} needs the ${rule.scope} scope, which this credential does not have`);
        }
      }
      request.contextValues.set(callerKey, caller);
    } catch (error) {
      throw toConnectError(error, "auth");
    }
    return next(request);
  };
}
