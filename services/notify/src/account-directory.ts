import { status as GrpcStatus } from "@grpc/grpc-js";
import { isServiceError, type GrpcClient } from "@kino/grpc";
import type { AuthInternalService } from "@kino/proto/auth/v1";

export interface Recipient {
  email: string;
  displayName: string;
}

/** Where a user's mail goes; undefined when the account is gone or disabled (nothing is sent then). */
export type AccountDirectory = (userId: string) => Promise<Recipient | undefined>;

/** Asks the auth service, as the notify service itself, on every mail: an address can change. */
export function authAccountDirectory(auth: GrpcClient<typeof AuthInternalService>, timeoutMs = 5000): AccountDirectory {
  return async (userId) => {
    try {
      const { account } = await auth.getAccount({ userId }, { timeoutMs });
      if (!account || account.disabled) return undefined;
      return { email: account.email, displayName: account.displayName };
    } catch (error) {
      if (isServiceError(error) && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw error;
    }
  };
}
