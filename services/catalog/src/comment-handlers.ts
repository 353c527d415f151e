import type { CallContext, ServiceHandlers } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { EngagementService } from "@kino/proto/catalog/v1";
import { sql } from "kysely";
import { commentEventEntry } from "./comment-event-entry.ts";
import { commentMessage, commentVisibleSql, seesHidden, visibleReplyCount, type CommentViewer } from "./comment-queries.ts";
import { checkCommentText } from "./comment-text.ts";
import { CommentsThrottledError } from "./comment-throttle.ts";
import { isAdmin, requireEngagementId, requireUser, visibleVideo } from "./engagement-access.ts";
import type { EngagementDependencies } from "./engagement-dependencies.ts";
import { decodeCursor, encodeCursor, sequenceKey } from "./engagement-page-token.ts";
import type { CommentRow } from "./engagement-schema.ts";
import type { VideoRow } from "./schema.ts";
import { validatePageSize } from "./validation.ts";
import { newVideoId } from "./video-id.ts";
import { isVisible } from "./visibility-rules.ts";

type CommentMethods = "createComment" | "listComments" | "updateComment" | "deleteComment" | "setCommentHidden";

/** Replies shown under each top-level comment of a page; the rest are paged with parent_comment_id. */
const repliesPerThread = 5;

function viewerOf(context: CallContext): CommentViewer {
  return { callerId: context.callerId, admin: isAdmin(context) };
}

function commentNotFound(id: string): KinoError {
  return new KinoError("not_found", `comment ${id} not found`);
}

export function commentHandlers(deps: EngagementDependencies): Pick<ServiceHandlers<typeof EngagementService>, CommentMethods> {
  const { db, videos } = deps;

  /**
   * A comment and its video, if the caller may see both: the video as
   * GetVideo decides (admins moderate any), the comment when not hidden
   * from them, nor its thread.
   */
  async function visibleComment(rawId: string, field: string, viewer: CommentViewer): Promise<{ comment: CommentRow; parent: CommentRow | undefined; video: VideoRow }> {
    const id = requireEngagementId(rawId, field);
    const comment = await db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
    if (!comment) throw commentNotFound(id);
    const video = await videos.find(comment.video_id);
    if (!video || !(isVisible(video, viewer.callerId) || (viewer.admin && video.status !== "DELETED"))) throw commentNotFound(id);
    const parent = comment.parent_id ? await db.selectFrom("comments").selectAll().where("id", "=", comment.parent_id).executeTakeFirst() : undefined;
    const hiddenFromViewer = (row: CommentRow | undefined) => row !== undefined && row.hidden && !seesHidden(viewer, video, row);
    if (hiddenFromViewer(comment) || hiddenFromViewer(parent)) throw commentNotFound(id);
    return { comment, parent, video };
  }

  async function withReplyCount(comment: CommentRow, viewer: CommentViewer, video: VideoRow) {
    return commentMessage(comment, comment.parent_id ? 0 : await visibleReplyCount(db, comment.id, viewer, video.owner_id));
  }

  return {
    async createComment(request, context) {
      const authorId = requireUser(context);
      const viewer = viewerOf(context);
      const video = await visibleVideo(videos, request.videoId, authorId);
      const text = checkCommentText(request.text);
      let parentId: string | null = null;
      if (request.parentCommentId !== "") {
        const { comment, video: parentVideo } = await visibleComment(request.parentCommentId, "parent_comment_id", viewer);
        if (parentVideo.id !== video.id) throw new KinoError("invalid_argument", "parent_comment_id names a comment on another video");
        // One level of replies: a reply to a reply joins its thread.
        parentId = comment.parent_id ?? comment.id;
      }
      try {
        await deps.commentThrottle.consume(authorId);
      } catch (error) {
        if (error instanceof CommentsThrottledError) deps.retryAfter.note(context, error.retryAfterSeconds);
        throw error;
      }
      const comment = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto("comments")
          .values({ id: newVideoId(), video_id: video.id, author_id: authorId, parent_id: parentId, text, edited_at: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto("outbox").values(commentEventEntry(video, inserted)).execute();
        return inserted;
      });
      context.logger.info({ videoId: video.id, commentId: comment.id, reply: parentId !== null }, "comment created");
      return { comment: commentMessage(comment) };
    },

    async listComments(request, context) {
      const viewer = viewerOf(context);
      const video = await visibleVideo(videos, request.videoId, context.callerId);
      const limit = validatePageSize(request.pageSize);
      if (request.parentCommentId !== "") {
        const { comment: parent } = await visibleComment(request.parentCommentId, "parent_comment_id", viewer);
        if (parent.video_id !== video.id) throw new KinoError("invalid_argument", "parent_comment_id names a comment on another video");
        if (parent.parent_id !== null) throw new KinoError("invalid_argument", "parent_comment_id must name a top-level comment: replies have no replies");
        const listing = `replies:${parent.id}`;
        const after = decodeCursor(request.pageToken, listing, [sequenceKey]);
        let query = db.selectFrom("comments as c").selectAll().where("c.parent_id", "=", parent.id).where(commentVisibleSql("c", viewer, video.owner_id));
        if (after) query = query.where("c.seq", ">", after[0]!);
        const rows = await query.orderBy("c.seq", "asc").limit(limit + 1).execute();
        const page = rows.slice(0, limit);
        return {
          threads: page.map((row) => ({ comment: commentMessage(row), replies: [] })),
          nextPageToken: rows.length > limit ? encodeCursor(listing, [page.at(-1)!.seq]) : "",
        };
      }
      const listing = `comments:${video.id}`;
      const after = decodeCursor(request.pageToken, listing, [sequenceKey]);
      let query = db.selectFrom("comments as c").selectAll().where("c.video_id", "=", video.id).where("c.parent_id", "is", null).where(commentVisibleSql("c", viewer, video.owner_id));
      if (after) query = query.where("c.seq", "<", after[0]!);
      const rows = await query.orderBy("c.seq", "desc").limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      // The first replies of every thread on the page, and how many each has, in one query.
      const replies =
        page.length === 0
          ? []
          : await db
              .selectFrom((eb) =>
                eb
                  .selectFrom("comments as r")
                  .selectAll()
                  .select([sql<string>`row_number() over (partition by r.parent_id order by r.seq)`.as("rank"), sql<string>`count(*) over (partition by r.parent_id)`.as("total")])
                  .where("r.parent_id", "in", page.map((row) => row.id))
                  .where(commentVisibleSql("r", viewer, video.owner_id))
                  .as("ranked"),
              )
              .selectAll()
              .where("rank", "<=", String(repliesPerThread))
              .orderBy("seq")
              .execute();
      return {
        threads: page.map((row) => {
          const mine = replies.filter((reply) => reply.parent_id === row.id);
          return { comment: commentMessage(row, Number(mine[0]?.total ?? 0)), replies: mine.map((reply) => commentMessage(reply)) };
        }),
        nextPageToken: rows.length > limit ? encodeCursor(listing, [page.at(-1)!.seq]) : "",
      };
    },

    async updateComment(request, context) {
      const userId = requireUser(context);
      const viewer = viewerOf(context);
      const { comment, video } = await visibleComment(request.commentId, "comment_id", viewer);
      if (comment.author_id !== userId) throw new KinoError("permission_denied", `comment ${comment.id} is someone else's: only its author edits it`);
      const text = checkCommentText(request.text);
      const updated = await db.updateTable("comments").set({ text, edited_at: new Date() }).where("id", "=", comment.id).returningAll().executeTakeFirst();
      if (!updated) throw commentNotFound(comment.id);
      return { comment: await withReplyCount(updated, viewer, video) };
    },

    async deleteComment(request, context) {
      const userId = requireUser(context);
      const viewer = viewerOf(context);
      const { comment, video } = await visibleComment(request.commentId, "comment_id", viewer);
      if (comment.author_id !== userId && video.owner_id !== userId && !viewer.admin) {
        throw new KinoError("permission_denied", `comment ${comment.id} is someone else's: its author, the video's owner and admins delete it`);
      }
      // Replies go with a top-level comment (ON DELETE CASCADE).
      const deleted = await db.deleteFrom("comments").where("id", "=", comment.id).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) throw commentNotFound(comment.id);
      context.logger.info({ commentId: comment.id, videoId: video.id, by: comment.author_id === userId ? "author" : video.owner_id === userId ? "owner" : "admin" }, "comment deleted");
      return {};
    },

    async setCommentHidden(request, context) {
      const userId = requireUser(context);
      const viewer = viewerOf(context);
      const { comment, video } = await visibleComment(request.commentId, "comment_id", viewer);
      if (video.owner_id !== userId && !viewer.admin) {
        throw new KinoError("permission_denied", `only the video's owner and admins hide or show comment ${comment.id}`);
      }
      const updated = await db.updateTable("comments").set({ hidden: request.hidden }).where("id", "=", comment.id).returningAll().executeTakeFirst();
      if (!updated) throw commentNotFound(comment.id);
      context.logger.info({ commentId: comment.id, videoId: video.id, hidden: request.hidden }, "comment visibility set");
      return { comment: await withReplyCount(updated, viewer, video) };
    },
  };
}
