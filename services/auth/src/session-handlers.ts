import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { AuthService } from "@kino/proto/auth/v1";
import type { AuthDependencies } from "./auth-dependencies.ts";
import { requireCaller } from "./callers.ts";

// Session ids are 16 random bytes in base64url; anything else names no session.
const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;

const noSuchSession = () => new KinoError("not_found", "you have no session with that session_id");

/** A signed-in user's own sessions: see them, end one, end all. */
export function sessionHandlers(deps: AuthDependencies): Pick<ServiceHandlers<typeof AuthService>, "listSessions" | "revokeSession" | "revokeAllSessions"> {
  const { users, sessions, clock } = deps;
  return {
    async listSessions(_request, context) {
      const caller = await requireCaller(context, users);
      const rows = await sessions.listLive(caller.id, clock());
      return {
        sessions: rows.map((row) => ({
          sessionId: row.id,
          clientDescription: row.client_description,
          createTime: timestampFromDate(row.created_at),
          lastUsedTime: timestampFromDate(row.last_used_at),
        })),
      };
    },

    async revokeSession(request, context) {
      const caller = await requireCaller(context, users);
      // Another user's session is "not found" too: ids of others are never confirmed.
      if (!sessionIdPattern.test(request.sessionId)) throw noSuchSession();
      if (!(await sessions.revoke(caller.id, request.sessionId, clock(), "revoked_by_user"))) throw noSuchSession();
      context.logger.info({ sessionId: request.sessionId }, "session revoked by its user");
      return {};
    },

    async revokeAllSessions(_request, context) {
      const caller = await requireCaller(context, users);
      const revokedCount = await sessions.revokeAll(caller.id, clock(), "revoked_by_user");
      context.logger.info({ revokedSessions: revokedCount }, "every session revoked by their user");
      return { revokedCount };
    },
  };
}
