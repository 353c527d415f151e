import type { ServiceHandlers } from "@kino/grpc";
import type { AuthService } from "@kino/proto/auth/v1";
import { accountForCode } from "./account-for-code.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { validateNewPassword } from "./credential-rules.ts";
import { normaliseEmail } from "./email-address.ts";
import { passwordChangedMail, passwordResetMail } from "./mail-messages.ts";

/** A forgotten password: a code by mail, then a new password that signs every session out. */
export function passwordResetHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, "requestPasswordReset" | "resetPassword"> {
  const { users, codes, sessions, hasher, mailer, throttles, clock } = deps;
  return {
    async requestPasswordReset(request, context) {
      const email = normaliseEmail(request.email);
      await throttles.codeMail(email, context.clientAddress);
      const user = await users.findByEmail(email);
      // A disabled account gets nothing: a new password would not let it sign in.
      if (user && user.disabled_at === null) {
        mailer.send(passwordResetMail(user.email, await codes.issue(user.id, "reset_password", clock())));
        context.logger.info({ userId: user.id }, "password reset code sent");
      }
      return {};
    },

    async resetPassword(request, context) {
      // Checked before the code, so a password that breaks the rules does not spend it.
      const password = validateNewPassword(request.newPassword);
      const user = await accountForCode(deps, context, request, "reset_password");
      await users.setPasswordHash(user.id, await hasher.hash(password));
      // Whoever held a session may be who made the reset necessary.
      const revoked = await sessions.revokeAll(user.id, clock(), "password_reset");
      mailer.send(passwordChangedMail(user.email));
      context.logger.info({ userId: user.id, revokedSessions: revoked }, "password reset: every session revoked");
      return {};
    },
  };
}
