import { KinoError, type Logger } from "@kino/platform";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { clientAddressKey } from "./client-address-key.ts";
import { ThrottledError } from "./throttled-error.ts";
import type { ThrottleLimit } from "./throttle-limits.ts";

export interface ThrottleSettings {
  passwordFailuresPerEmail: ThrottleLimit;
  signInFailuresPerAddress: ThrottleLimit;
  codeMailsPerEmail: ThrottleLimit;
  codeMailsPerAddress: ThrottleLimit;
}

/** An attempt already counted; one that turns out right is taken back. */
export interface Attempt {
  succeeded(): Promise<void>;
}

// Keys by email, not account, so an email without an account is limited
// exactly like one with: a throttled answer tells nothing.
function emailKey(email: string): string {
  return email.toLowerCase();
}

/**
 * Counts sign-in failures and mailed codes in Redis. Every attempt is
 * counted before it is checked (one atomic INCR), so parallel guesses
 * cannot slip past a limit; a right one is taken back.
 *
 * Without Redis the throttled RPCs fail closed (UNAVAILABLE): the limits
 * are what bounds online guessing, and a per-process fallback would
 * multiply them by the number of replicas and forget them on every restart
 * — exactly what an attacker able to disturb Redis would want. Sessions
 * already started keep refreshing and API keys keep verifying, since
 * neither is throttled, so an outage stops new sign-ins only.
 */
export class Throttles {
  private readonly passwordPerEmail: RateLimiterRedis;
  private readonly failuresPerAddress: RateLimiterRedis;
  private readonly mailsPerEmail: RateLimiterRedis;
  private readonly mailsPerAddress: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    settings: ThrottleSettings,
    private readonly logger: Logger,
  ) {
    const limiter = (name: string, limit: ThrottleLimit) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${name}`,
        points: limit.points,
        duration: limit.windowSeconds,
        // Fail at once while Redis is away instead of queueing behind a reconnect.
        rejectIfRedisNotReady: true,
      });
    this.passwordPerEmail = limiter("password-failures-email", settings.passwordFailuresPerEmail);
    this.failuresPerAddress = limiter("sign-in-failures-address", settings.signInFailuresPerAddress);
    this.mailsPerEmail = limiter("code-mails-email", settings.codeMailsPerEmail);
    this.mailsPerAddress = limiter("code-mails-address", settings.codeMailsPerAddress);
  }

  /** A password sign-in for `email`: counted per email and per client address. */
  async passwordAttempt(email: string, clientAddress: string | undefined): Promise<Attempt> {
    const address = clientAddress === undefined ? undefined : clientAddressKey(clientAddress);
    if (address !== undefined) await consume(this.failuresPerAddress, address, "too many failed sign-ins from this network");
    await consume(this.passwordPerEmail, emailKey(email), "too many wrong passwords for this email");
    return {
      succeeded: async () => {
        // The email's count starts over; the address keeps the failures it made on other emails.
        await this.takeBack(this.passwordPerEmail.delete(emailKey(email)));
        if (address !== undefined) await this.takeBack(this.failuresPerAddress.reward(address));
      },
    };
  }

  /**
   * A code presented (verification, sign-in, reset): counted per client
   * address. Each code allows 5 guesses itself; this bounds guessing across
   * many accounts from one place.
   */
  async codeAttempt(clientAddress: string | undefined): Promise<Attempt> {
    if (clientAddress === undefined) return { succeeded: async () => {} };
    const address = clientAddressKey(clientAddress);
    await consume(this.failuresPerAddress, address, "too many failed sign-ins from this network");
    return { succeeded: () => this.takeBack(this.failuresPerAddress.reward(address)) };
  }

  /** A code to be mailed to `email` (sign-up, sign-in code, reset), whether or not it has an account. */
  async codeMail(email: string, clientAddress: string | undefined): Promise<void> {
    if (clientAddress !== undefined) await consume(this.mailsPerAddress, clientAddressKey(clientAddress), "too many codes requested from this network");
    await consume(this.mailsPerEmail, emailKey(email), "too many codes requested for this email");
  }

  /** After a right answer: best effort, since the call has already succeeded; a count left behind only runs out. */
  private async takeBack(operation: Promise<unknown>): Promise<void> {
    try {
      await operation;
    } catch (error) {
      this.logger.warn({ err: error }, "throttle count not taken back after a right answer");
    }
  }
}

function unavailable(cause: unknown): KinoError {
  return new KinoError("unavailable", "sign-in is unavailable for now: its throttle store cannot be reached; try again shortly", { cause });
}

async function consume(limiter: RateLimiterRedis, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new ThrottledError(what, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    throw unavailable(refusal);
  }
}
