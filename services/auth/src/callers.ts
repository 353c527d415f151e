import type { CallContext } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { UserRow } from "./schema.ts";
import type { UserRepository } from "./user-repository.ts";

/**
 * The account a call is made for. The gateway signed who the user is; what
 * the account may do (role, disabled) is read here, from the auth
 * database, never taken from the assertion.
 */
export async function requireCaller(context: CallContext, users: UserRepository): Promise<UserRow> {
  if (context.callerId === undefined) throw new KinoError("unauthenticated", "sign in first: this call needs a signed-in user");
  const user = await users.findById(context.callerId);
  if (!user) throw new KinoError("unauthenticated", "the signed-in account does not exist; sign in again");
  if (user.disabled_at !== null) throw new KinoError("permission_denied", "this account is disabled");
  return user;
}

/** As requireCaller, for the admin RPCs. */
export async function requireAdmin(context: CallContext, users: UserRepository): Promise<UserRow> {
  const user = await requireCaller(context, users);
  if (user.role !== "admin") throw new KinoError("permission_denied", "only an admin may do this");
  return user;
}
