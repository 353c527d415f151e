import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { EngagementService } from "@kino/proto/catalog/v1";
import { sql } from "kysely";
import { requireUser, visibleVideo } from "./engagement-access.ts";
import type { EngagementDependencies } from "./engagement-dependencies.ts";
import { decodeCursor, encodeCursor, sequenceKey } from "./engagement-page-token.ts";
import { requireId, validatePageSize } from "./validation.ts";
import { visibleVideoSql } from "./visibility-rules.ts";

type HistoryMethods = "setPlaybackPosition" | "getPlaybackPosition" | "listWatchHistory" | "removeWatchHistoryEntry" | "clearWatchHistory";

/** Where a position lands: never before the start, never past a known duration (a last heartbeat may overshoot it). */
function storedPosition(positionMs: bigint, durationSeconds: number): bigint {
  if (positionMs < 0n) throw new KinoError("invalid_argument", `position_ms must be at least 0, got ${positionMs}`);
  if (durationSeconds <= 0) return positionMs;
  const durationMs = BigInt(Math.round(durationSeconds * 1000));
  return positionMs > durationMs ? durationMs : positionMs;
}

const videoKey = /^[a-z0-9]{20}$/;

export function watchHistoryHandlers({ db, videos }: EngagementDependencies): Pick<ServiceHandlers<typeof EngagementService>, HistoryMethods> {
  return {
    async setPlaybackPosition(request, context) {
      const userId = requireUser(context);
      const video = await visibleVideo(videos, request.videoId, userId);
      const positionMs = storedPosition(request.positionMs, video.duration_seconds);
      // Milliseconds, so the time a page token carries is exactly the stored one.
      const now = sql<Date>`date_trunc('milliseconds', clock_timestamp())`;
      await db
        .insertInto("watch_history")
        .values({ user_id: userId, video_id: video.id, position_ms: positionMs.toString(), watched_at: now })
        .onConflict((oc) => oc.columns(["user_id", "video_id"]).doUpdateSet({ position_ms: positionMs.toString(), watched_at: now }))
        .execute();
      return { positionMs };
    },

    async getPlaybackPosition(request, context) {
      const userId = requireUser(context);
      const video = await visibleVideo(videos, request.videoId, userId);
      const row = await db
        .selectFrom("watch_history")
        .select(["position_ms", "watched_at"])
        .where("user_id", "=", userId)
        .where("video_id", "=", video.id)
        .executeTakeFirst();
      return row ? { positionMs: BigInt(row.position_ms), watchedAt: timestampFromDate(row.watched_at) } : { positionMs: 0n };
    },

    async listWatchHistory(request, context) {
      const userId = requireUser(context);
      const limit = validatePageSize(request.pageSize);
      const listing = `history:${userId}`;
      const after = decodeCursor(request.pageToken, listing, [sequenceKey, videoKey]);
      let query = db
        .selectFrom("watch_history as h")
        .innerJoin("videos as v", "v.id", "h.video_id")
        .select(["h.video_id", "h.position_ms", "h.watched_at"])
        .where("h.user_id", "=", userId)
        .where(visibleVideoSql("v", userId));
      if (after) {
        const [watchedMs, videoId] = after as [string, string];
        query = query.where(sql<boolean>`(h.watched_at, h.video_id) < (${new Date(Number(watchedMs))}::timestamptz, ${videoId})`);
      }
      const rows = await query.orderBy("h.watched_at", "desc").orderBy("h.video_id", "desc").limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        entries: page.map((row) => ({ videoId: row.video_id, positionMs: BigInt(row.position_ms), watchedAt: timestampFromDate(row.watched_at) })),
        nextPageToken: rows.length > limit && last ? encodeCursor(listing, [String(last.watched_at.getTime()), last.video_id]) : "",
      };
    },

    async removeWatchHistoryEntry(request, context) {
      const userId = requireUser(context);
      const videoId = requireId(request.videoId, "video_id");
      const removed = await db.deleteFrom("watch_history").where("user_id", "=", userId).where("video_id", "=", videoId).executeTakeFirst();
      if (removed.numDeletedRows === 0n) throw new KinoError("not_found", `video ${videoId} is not in your watch history`);
      return {};
    },

    async clearWatchHistory(_request, context) {
      const userId = requireUser(context);
      const removed = await db.deleteFrom("watch_history").where("user_id", "=", userId).executeTakeFirst();
      context.logger.info({ removed: Number(removed.numDeletedRows) }, "watch history cleared");
      return { removed: removed.numDeletedRows };
    },
  };
}
