import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { Account, AuthInternalService } from "@kino/proto/auth/v1";

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
  const accounts = new Map<string, { until: number; account: Promise<Account> }>();
  return {
    async activeAccount(userId) {
      let entry = accounts.get(userId);
      if (!entry || entry.until <= now()) {
        const account = options.internal.getAccount({ userId }, { timeoutMs: 5000 }).then(
          (response) => {
            if (!response.account) throw new KinoError("internal", "auth answered GetAccount without an account");
            return response.account;
          },
          (error: unknown) => {
            accounts.delete(userId);
            const kino = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
            if (KinoError.is(kino, "not_found")) throw new KinoError("unauthenticated", "access token is not valid");
            throw new KinoError("unavailable", "cannot check the account: auth service unavailable", { cause: kino });
          },
        );
        if (accounts.size >= maxEntries) accounts.clear();
        entry = { until: now() + ttlMs, account };
        accounts.set(userId, entry);
      }
      const account = await entry.account;
      if (account.disabled) throw new KinoError("unauthenticated", "this account is disabled");
      return account;
    },
  };
}
