import type { ServiceHandlers } from "@kino/grpc";
import type { EngagementService } from "@kino/proto/catalog/v1";
import type { Kysely, Transaction } from "kysely";
import { countComments } from "./comment-queries.ts";
import { requireUser, visibleVideo } from "./engagement-access.ts";
import type { EngagementDependencies } from "./engagement-dependencies.ts";
import type { CatalogDatabase } from "./schema.ts";

type LikeMethods = "likeVideo" | "unlikeVideo" | "getVideoEngagement";

async function likeCount(db: Kysely<CatalogDatabase> | Transaction<CatalogDatabase>, videoId: string): Promise<bigint> {
  const row = await db.selectFrom("video_like_counts").select("like_count").where("video_id", "=", videoId).executeTakeFirst();
  return BigInt(row?.like_count ?? 0);
}

/**
 * A like is a row per (video, user); the count moves in the same
 * transaction, and only when a row was really added or removed, so a
 * repeated like or unlike changes nothing and concurrent ones serialise on
 * the video's counter row.
 */
export function likeHandlers({ db, videos }: EngagementDependencies): Pick<ServiceHandlers<typeof EngagementService>, LikeMethods> {
  return {
    async likeVideo(request, context) {
      const userId = requireUser(context);
      const video = await visibleVideo(videos, request.videoId, userId);
      const likeCountNow = await db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto("video_likes")
          .values({ video_id: video.id, user_id: userId })
          .onConflict((oc) => oc.columns(["video_id", "user_id"]).doNothing())
          .returning("user_id")
          .executeTakeFirst();
        if (!added) return likeCount(trx, video.id);
        const counted = await trx
          .insertInto("video_like_counts")
          .values({ video_id: video.id, like_count: "1" })
          .onConflict((oc) => oc.column("video_id").doUpdateSet((eb) => ({ like_count: eb("video_like_counts.like_count", "+", "1") })))
          .returning("like_count")
          .executeTakeFirstOrThrow();
        return BigInt(counted.like_count);
      });
      return { likeCount: likeCountNow };
    },

    async unlikeVideo(request, context) {
      const userId = requireUser(context);
      const video = await visibleVideo(videos, request.videoId, userId);
      const likeCountNow = await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom("video_likes").where("video_id", "=", video.id).where("user_id", "=", userId).returning("user_id").executeTakeFirst();
        if (!removed) return likeCount(trx, video.id);
        const counted = await trx
          .updateTable("video_like_counts")
          .set((eb) => ({ like_count: eb("like_count", "-", "1") }))
          .where("video_id", "=", video.id)
          .returning("like_count")
          .executeTakeFirstOrThrow();
        return BigInt(counted.like_count);
      });
      return { likeCount: likeCountNow };
    },

    async getVideoEngagement(request, context) {
      const video = await visibleVideo(videos, request.videoId, context.callerId);
      const liked = context.callerId
        ? (await db.selectFrom("video_likes").select("user_id").where("video_id", "=", video.id).where("user_id", "=", context.callerId).executeTakeFirst()) !== undefined
        : false;
      return { likeCount: await likeCount(db, video.id), liked, commentCount: await countComments(db, video.id) };
    },
  };
}
