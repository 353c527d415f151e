import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { Account, AuthInternalService } from "@kino/proto/auth/v1";
import { createAnswerCache } from "./answer-cache.ts";

export interface AccountDirectory {
  /** The account behind a verified access token; Unauthenticated when it is disabled or gone. */
  activeAccount(userId: string): Promise<Account>;
}

export interface AccountDirectoryOptions {
  internal: GrpcClient<typeof AuthInternalService>;
  /** Disabling a user takes effect within this (the bound is a minute). */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** Role, tier and disabled flag per user, asked of the auth service and reused briefly. */
export function createAccountDirectory(options: AccountDirectoryOptions): AccountDirectory {
  const { ttlMs = 30_000, maxEntries = 10_000, now = Date.now } = options;
  const remembered = createAnswerCache<Account>({ ttlMs, maxEntries, now });
  return {
    async activeAccount(userId) {
      const account = await remembered(userId, () =>
        options.internal.getAccount({ userId }, { timeoutMs: 5000 }).then(
          (response) => {
            if (!response.account) throw new KinoError("internal", "auth answered GetAccount without an account");
            return response.account;
          },
          (error: unknown) => {
            const kino = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
            if (KinoError.is(kino, "not_found")) throw new KinoError("unauthenticated", "access token is not valid");
            throw new KinoError("unavailable", "cannot check the account: auth service unavailable", { cause: kino });
          },
        ),
      );
      if (account.disabled) throw new KinoError("unauthenticated", "this account is disabled");
      return account;
    },
  };
}
