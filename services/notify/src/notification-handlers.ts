import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { NotifyService } from "@kino/proto/notify/v1";
import type { Kysely } from "kysely";
import { requireCaller } from "./caller.ts";
import { isId } from "./ids.ts";
import { notificationMessage } from "./messages.ts";
import type { NotifyDependencies } from "./notify-dependencies.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./page-token.ts";
import { preferencesOf, setPreferences } from "./preferences.ts";
import type { NotifyDatabase } from "./schema.ts";

type FeedMethods = "listNotifications" | "markNotificationsRead" | "getNotificationPreferences" | "setNotificationPreferences";

const maxMarkedIds = 100;

async function unreadCount(db: Kysely<NotifyDatabase>, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

export function notificationHandlers(deps: NotifyDependencies): Pick<ServiceHandlers<typeof NotifyService>, FeedMethods> {
  const { db, clock } = deps;
  return {
    async listNotifications(request, context) {
      const userId = requireCaller(context);
      const pageSize = pageSizeOf(request.pageSize);
      const list = request.unreadOnly ? "feed:unread" : "feed:all";
      const afterSeq = decodePageToken(request.pageToken, list);
      let query = db.selectFrom("notifications").selectAll().where("user_id", "=", userId);
      if (request.unreadOnly) query = query.where("read_at", "is", null);
      if (afterSeq !== undefined) query = query.where("seq", "<", afterSeq);
      const rows = await query.orderBy("seq", "desc").limit(pageSize + 1).execute();
      const page = rows.slice(0, pageSize);
      return {
        notifications: page.map(notificationMessage),
        nextPageToken: rows.length > pageSize ? encodePageToken(page.at(-1)!.seq, list) : "",
        unreadCount: await unreadCount(db, userId),
      };
    },

    async markNotificationsRead(request, context) {
      const userId = requireCaller(context);
      const ids = request.notificationIds;
      if (request.all && ids.length > 0) throw new KinoError("invalid_argument", "pass notification_ids or all, not both");
      if (!request.all && ids.length === 0) throw new KinoError("invalid_argument", "notification_ids is empty: name some, or set all");
      if (ids.length > maxMarkedIds) throw new KinoError("invalid_argument", `notification_ids holds ${ids.length} ids, at most ${maxMarkedIds}`);
      if (!ids.every(isId)) throw new KinoError("invalid_argument", "notification_ids holds an id that is not 20 characters of a-z and 0-9");
      let update = db.updateTable("notifications").set({ read_at: clock() }).where("user_id", "=", userId).where("read_at", "is", null);
      if (!request.all) update = update.where("id", "in", ids);
      const result = await update.executeTakeFirst();
      return { marked: Number(result.numUpdatedRows), unreadCount: await unreadCount(db, userId) };
    },

    async getNotificationPreferences(_request, context) {
      const userId = requireCaller(context);
      return { preferences: await preferencesOf(db, userId) };
    },

    async setNotificationPreferences(request, context) {
      const userId = requireCaller(context);
      if (!request.preferences) throw new KinoError("invalid_argument", "preferences is required");
      const { emailVideoReady, emailVideoFailed } = request.preferences;
      const saved = await setPreferences(db, userId, { emailVideoReady, emailVideoFailed }, clock());
      context.logger.info({ preferences: saved }, "notification preferences set");
      return { preferences: saved };
    },
  };
}
