import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CommentSchema } from "@kino/proto/catalog/v1";
import { sql, type Kysely, type Transaction } from "kysely";
import type { CommentRow } from "./engagement-schema.ts";
import type { CatalogDatabase, VideoRow } from "./schema.ts";

type Db = Kysely<CatalogDatabase> | Transaction<CatalogDatabase>;

/** Who may see a hidden comment: its author, the video's owner, admins. */
export interface CommentViewer {
  callerId: string | undefined;
  admin: boolean;
}

export function seesHidden(viewer: CommentViewer, video: VideoRow, comment: Pick<CommentRow, "author_id">): boolean {
  return viewer.admin || (viewer.callerId !== undefined && (viewer.callerId === video.owner_id || viewer.callerId === comment.author_id));
}

/** The comments of a video everyone may see: not hidden, and not under a hidden top-level comment. */
export async function countComments(db: Db, videoId: string): Promise<bigint> {
  const row = await db
    .selectFrom("comments as c")
    .leftJoin("comments as p", "p.id", "c.parent_id")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("c.video_id", "=", videoId)
    .where("c.hidden", "=", false)
    .where((eb) => eb.or([eb("p.id", "is", null), eb("p.hidden", "=", false)]))
    .executeTakeFirstOrThrow();
  return BigInt(row.count);
}

/** A condition on `comments` (as `table`) that keeps what `viewer` may see of a video owned by `ownerId`. */
export function commentVisibleSql(table: string, viewer: CommentViewer, ownerId: string) {
  if (viewer.admin || viewer.callerId === ownerId) return sql<boolean>`true`;
  if (!viewer.callerId) return sql<boolean>`not ${sql.ref(`${table}.hidden`)}`;
  return sql<boolean>`(not ${sql.ref(`${table}.hidden`)} or ${sql.ref(`${table}.author_id`)} = ${viewer.callerId})`;
}

/** How many replies of a top-level comment `viewer` may see. */
export async function visibleReplyCount(db: Db, commentId: string, viewer: CommentViewer, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom("comments as r")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("r.parent_id", "=", commentId)
    .where(commentVisibleSql("r", viewer, ownerId))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function commentMessage(row: CommentRow, replyCount = 0): MessageInitShape<typeof CommentSchema> {
  return {
    id: row.id,
    videoId: row.video_id,
    authorId: row.author_id,
    parentCommentId: row.parent_id ?? "",
    text: row.text,
    createTime: timestampFromDate(row.created_at),
    editTime: row.edited_at ? timestampFromDate(row.edited_at) : undefined,
    hidden: row.hidden,
    replyCount,
  };
}
