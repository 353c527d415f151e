import type { ServiceHandlers } from "@kino/grpc";
import type { AuthService } from "@kino/proto/auth/v1";
import { accountOf } from "./account-message.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { requireCaller } from "./callers.ts";
import { validateDisplayName } from "./credential-rules.ts";

/** The caller's own account. */
export function profileHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, "getMe" | "updateProfile"> {
  const { users, tiers } = deps;
  return {
    async getMe(_request, context) {
      return { account: accountOf(await requireCaller(context, users), tiers) };
    },

    async updateProfile(request, context) {
      const caller = await requireCaller(context, users);
      const displayName = validateDisplayName(request.displayName);
      const updated = (await users.setDisplayName(caller.id, displayName)) ?? caller;
      context.logger.info("display name changed");
      return { account: accountOf(updated, tiers) };
    },
  };
}
