import type { CallContext } from "@kino/grpc";
import { KinoError } from "@kino/platform";

/** The user a call is made for: everything here belongs to one. */
export function requireCaller(context: CallContext): string {
  if (context.callerId === undefined) throw new KinoError("unauthenticated", "sign in first: notifications belong to a signed-in user");
  return context.callerId;
}
