import { isDatabaseUnavailable } from "@kino/database";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import type { AccessTokenSettings } from "./access-tokens.ts";
import type { Clock } from "./clock.ts";
import { presentedCode, presentedPassword, validateDisplayName, validateNewPassword } from "./credential-rules.ts";
import type { EmailCodes } from "./email-codes.ts";
import { normaliseEmail } from "./email-address.ts";
import { alreadyRegisteredMail, signInCodeMail, verificationMail } from "./mail-messages.ts";
import type { Mailer } from "./mailer.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import type { RefreshTokens } from "./refresh-tokens.ts";
import type { CodePurpose, UserRow } from "./schema.ts";
import { sessionTokens } from "./session-tokens.ts";
import type { SigningKeys } from "./signing-keys.ts";
import type { UserRepository } from "./user-repository.ts";

export interface AuthDependencies {
  users: UserRepository;
  codes: EmailCodes;
  refreshTokens: RefreshTokens;
  keys: SigningKeys;
  hasher: PasswordHasher;
  mailer: Mailer;
  clock: Clock;
  tokenSettings: AccessTokenSettings;
}

// One message per failure kind, whatever the cause: none tells whether an email has an account.
const wrongCredentials = () => new KinoError("unauthenticated", "email or password is wrong");
const wrongCode = () => new KinoError("unauthenticated", "email or code is wrong, expired or used up; ask for a new code");
const refusedRefresh = () => new KinoError("unauthenticated", "refresh token is not valid; sign in again");

const refreshTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function authHandlers(deps: AuthDependencies): ServiceHandlers<typeof AuthService> {
  const { users, codes, refreshTokens, keys, hasher, mailer, clock, tokenSettings } = deps;

  async function startSession(user: UserRow) {
    const now = clock();
    return sessionTokens(keys, tokenSettings, await refreshTokens.start(user.id, now), now);
  }

  /** The account the code was sent to, if `code` is its live code for `purpose` (spent by this call). */
  async function accountForCode(rawEmail: string, rawCode: string, purpose: CodePurpose): Promise<UserRow> {
    const email = normaliseEmail(rawEmail);
    const code = presentedCode(rawCode);
    const user = await users.findByEmail(email);
    if (!user || !code || !(await codes.consume(user.id, purpose, code, clock()))) throw wrongCode();
    await users.markVerified(user.id, clock());
    return user;
  }

  const handlers: ServiceHandlers<typeof AuthService> = {
    async signUp(request, context) {
      const email = normaliseEmail(request.email);
      const password = validateNewPassword(request.password);
      const displayName = validateDisplayName(request.displayName);
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
      const user = await accountForCode(request.email, request.code, "verify_email");
      context.logger.info({ userId: user.id }, "email verified");
      return {};
    },

    async signIn(request, context) {
      const email = normaliseEmail(request.email);
      const password = presentedPassword(request.password);
      const user = await users.findByEmail(email);
      if (!user || password === undefined) {
        await hasher.burn(password ?? "");
        throw wrongCredentials();
      }
      if (!(await hasher.verify(user.password_hash, password))) throw wrongCredentials();
      if (user.email_verified_at === null) {
        throw new KinoError("failed_precondition", "email is not verified yet: use the code sent at sign-up (VerifyEmail), or sign in with a code");
      }
      if (hasher.needsRehash(user.password_hash)) {
        await users.replacePasswordHash(user.id, user.password_hash, await hasher.hash(password));
        context.logger.info({ userId: user.id }, "password rehashed with the current parameters");
      }
      const tokens = await startSession(user);
      context.logger.info({ userId: user.id }, "signed in with password");
      return { tokens };
    },

    async requestSignInCode(request, context) {
      const email = normaliseEmail(request.email);
      const user = await users.findByEmail(email);
      if (user) {
        mailer.send(signInCodeMail(user.email, await codes.issue(user.id, "sign_in", clock())));
        context.logger.info({ userId: user.id }, "sign-in code sent");
      }
      return {};
    },

    async signInWithCode(request, context) {
      const user = await accountForCode(request.email, request.code, "sign_in");
      const tokens = await startSession(user);
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
  return mapDatabaseErrors(handlers);
}

/** A database that cannot be reached answers UNAVAILABLE, not INTERNAL. */
function mapDatabaseErrors<H extends Record<string, (...args: never[]) => Promise<unknown>>>(handlers: H): H {
  const wrapped: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = (...args: never[]) =>
      handler(...args).catch((error: unknown) => {
        throw isDatabaseUnavailable(error) ? new KinoError("unavailable", "database is unavailable", { cause: error }) : error;
      });
  }
  return wrapped as H;
}
