import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import { accountDisabled, refusedRefresh, wrongCredentials } from "./account-errors.ts";
import { accountForCode } from "./account-for-code.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { presentedPassword, validateClientDescription, validateDisplayName, validateNewPassword } from "./credential-rules.ts";
import { normaliseEmail } from "./email-address.ts";
import { alreadyRegisteredMail, signInCodeMail, verificationMail } from "./mail-messages.ts";
import type { UserRow } from "./schema.ts";
import { sessionTokens } from "./session-tokens.ts";

type SignInMethods = "signUp" | "verifyEmail" | "signIn" | "requestSignInCode" | "signInWithCode" | "refresh" | "signOut" | "getJwks";

const refreshTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** Accounts, codes and sessions: everything a visitor does before they hold tokens, and renewing them. */
export function signInHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, SignInMethods> {
  const { users, codes, refreshTokens, keys, hasher, mailer, throttles, clock, tokenSettings } = deps;

  async function startSession(user: UserRow, clientDescription: string) {
    const now = clock();
    return sessionTokens(keys, tokenSettings, await refreshTokens.start(user.id, now, clientDescription), now);
  }

  return {
    async signUp(request, context) {
      const email = normaliseEmail(request.email);
      const password = validateNewPassword(request.password);
      const displayName = validateDisplayName(request.displayName);
      // Every sign-up mails something (a code or a notice), so it counts as a code mail.
      await throttles.codeMail(email, context.clientAddress);
      const user = await users.upsertPending({ email, displayName, passwordHash: await hasher.hash(password) });
      if (!user) {
        mailer.send(alreadyRegisteredMail(email));
        context.logger.info("sign-up for an address with an account: the mailbox is told");
        return {};
      }
      mailer.send(verificationMail(user.email, await codes.issue(user.id, "verify_email", clock())));
      context.logger.info({ userId: user.id }, "sign-up: verification code sent");
      return {};
    },

    async verifyEmail(request, context) {
      const user = await accountForCode(deps, context, request, "verify_email");
      context.logger.info({ userId: user.id }, "email verified");
      return {};
    },

    async signIn(request, context) {
      const email = normaliseEmail(request.email);
      const password = presentedPassword(request.password);
      const clientDescription = validateClientDescription(request.clientDescription);
      // Counted before the password is checked, so parallel guesses cannot pass the limit.
      const attempt = await throttles.passwordAttempt(email, context.clientAddress);
      const user = await users.findByEmail(email);
      if (!user || password === undefined) {
        await hasher.burn(password ?? "");
        throw wrongCredentials();
      }
      if (!(await hasher.verify(user.password_hash, password))) throw wrongCredentials();
      await attempt.succeeded();
      if (user.email_verified_at === null) {
        throw new KinoError("failed_precondition", "email is not verified yet: use the code sent at sign-up (VerifyEmail), or sign in with a code");
      }
      if (user.disabled_at !== null) throw accountDisabled();
      if (hasher.needsRehash(user.password_hash)) {
        await users.replacePasswordHash(user.id, user.password_hash, await hasher.hash(password));
        context.logger.info({ userId: user.id }, "password rehashed with the current parameters");
      }
      const tokens = await startSession(user, clientDescription);
      context.logger.info({ userId: user.id }, "signed in with password");
      return { tokens };
    },

    async requestSignInCode(request, context) {
      const email = normaliseEmail(request.email);
      await throttles.codeMail(email, context.clientAddress);
      const user = await users.findByEmail(email);
      if (user && user.disabled_at === null) {
        mailer.send(signInCodeMail(user.email, await codes.issue(user.id, "sign_in", clock())));
        context.logger.info({ userId: user.id }, "sign-in code sent");
      }
      return {};
    },

    async signInWithCode(request, context) {
      const clientDescription = validateClientDescription(request.clientDescription);
      const user = await accountForCode(deps, context, request, "sign_in");
      const tokens = await startSession(user, clientDescription);
      context.logger.info({ userId: user.id }, "signed in with a code");
      return { tokens };
    },

    async refresh(request, context) {
      if (!refreshTokenPattern.test(request.refreshToken)) throw refusedRefresh();
      const now = clock();
      const outcome = await refreshTokens.rotate(request.refreshToken, now);
      if (outcome.kind === "reused") {
        context.logger.warn({ sessionId: outcome.familyId }, "a spent refresh token was presented again: session revoked");
      }
      if (outcome.kind !== "rotated") throw refusedRefresh();
      return { tokens: await sessionTokens(keys, tokenSettings, outcome.issued, now) };
    },

    async signOut(request, context) {
      if (refreshTokenPattern.test(request.refreshToken) && (await refreshTokens.revokeFamilyOf(request.refreshToken, clock(), "sign_out"))) {
        context.logger.info("signed out: session revoked");
      }
      return {};
    },

    async getJwks() {
      return { jwksJson: JSON.stringify(await keys.jwks(clock())) };
    },
  };
}
