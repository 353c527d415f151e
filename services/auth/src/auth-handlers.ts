import type { RetryAfterNotes, ServiceHandlers } from "@kino/grpc";
import type { AuthInternalService, AuthService } from "@kino/proto/auth/v1";
import { adminHandlers } from "./admin-handlers.ts";
import { apiKeyHandlers } from "./api-key-handlers.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { mapHandlerErrors } from "./handler-errors.ts";
import { internalHandlers } from "./internal-handlers.ts";
import { passwordResetHandlers } from "./password-reset-handlers.ts";
import { profileHandlers } from "./profile-handlers.ts";
import { sessionHandlers } from "./session-handlers.ts";
import { signInHandlers } from "./sign-in-handlers.ts";

export type { AuthDependencies } from "./auth-dependencies.ts";

/** kino.auth.v1.AuthService: one group of handlers per concern. */
export function authHandlers(deps: AuthDependencies, retryAfter: RetryAfterNotes): ServiceHandlers<typeof AuthService> {
  return mapHandlerErrors(
    {
      ...signInHandlers(deps),
      ...passwordResetHandlers(deps),
      ...sessionHandlers(deps),
      ...apiKeyHandlers(deps),
      ...profileHandlers(deps),
      ...adminHandlers(deps),
    },
    retryAfter,
  );
}

/** kino.auth.v1.AuthInternalService, for the gateway. */
export function authInternalHandlers(deps: AuthDependencies, retryAfter: RetryAfterNotes): ServiceHandlers<typeof AuthInternalService> {
  return mapHandlerErrors(internalHandlers(deps), retryAfter);
}
