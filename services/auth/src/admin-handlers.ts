import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import { accountOf } from "./account-message.ts";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { requireAdmin } from "./callers.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./paging.ts";
import type { UserRow } from "./schema.ts";
import { isTierName, tierNames } from "./tiers.ts";

type AdminMethods = "listUsers" | "setUserTier" | "setUserDisabled";

function found(user: UserRow | undefined): UserRow {
  if (!user) throw new KinoError("not_found", "no account has that user_id");
  return user;
}

/** Admins manage accounts: the role is read from the auth database on every call. */
export function adminHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, AdminMethods> {
  const { users, sessions, tiers, clock } = deps;
  return {
    async listUsers(request, context) {
      await requireAdmin(context, users);
      const limit = pageSizeOf(request.pageSize);
      const after = decodePageToken(request.pageToken, ["e"])?.e;
      const rows = await users.listPage(after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        users: page.map((user) => accountOf(user, tiers)),
        nextPageToken: rows.length > limit && last ? encodePageToken({ e: last.email.toLowerCase() }) : "",
      };
    },

    async setUserTier(request, context) {
      await requireAdmin(context, users);
      if (!isTierName(request.tier)) throw new KinoError("invalid_argument", `tier must be one of ${tierNames.join(", ")}`);
      const user = found(request.userId === "" ? undefined : await users.setTier(request.userId, request.tier));
      context.logger.info({ userId: user.id, tier: user.tier }, "tier set by an admin");
      return { account: accountOf(user, tiers) };
    },

    async setUserDisabled(request, context) {
      const admin = await requireAdmin(context, users);
      if (request.disabled && request.userId === admin.id) {
        throw new KinoError("failed_precondition", "an admin cannot disable their own account");
      }
      const now = clock();
      const user = found(request.userId === "" ? undefined : await users.setDisabled(request.userId, request.disabled, now));
      if (request.disabled) {
        const revoked = await sessions.revokeAll(user.id, now, "disabled");
        context.logger.info({ userId: user.id, revokedSessions: revoked }, "account disabled by an admin: sessions revoked");
      } else {
        context.logger.info({ userId: user.id }, "account enabled by an admin");
      }
      return { account: accountOf(user, tiers) };
    },
  };
}
