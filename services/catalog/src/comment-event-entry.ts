import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { VideoEventSchema } from "@kino/proto/events/v1";
import type { CommentRow } from "./engagement-schema.ts";
import type { OutboxEntry } from "./outbox-entries.ts";
import type { VideoRow } from "./schema.ts";

/**
 * "Someone commented on this video", written to the outbox with the comment
 * so it is published exactly when the comment commits. It carries no video
 * (consumers that keep copies of videos skip it); notify tells the owner.
 */
export function commentEventEntry(video: VideoRow, comment: CommentRow): OutboxEntry {
  const eventId = `${video.id}.commented.${comment.id}`;
  const event = create(VideoEventSchema, {
    eventId,
    videoId: video.id,
    ownerId: video.owner_id,
    time: timestampFromDate(comment.created_at),
    kind: { case: "commented", value: { commentId: comment.id, authorId: comment.author_id, parentCommentId: comment.parent_id ?? "" } },
  });
  return { subject_kind: "video.commented", message_id: eventId, payload: toBinary(VideoEventSchema, event) };
}
