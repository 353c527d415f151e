import { sql, type Kysely } from "kysely";
import type { VideoCommented, VideoEvent } from "@kino/proto/events/v1";
import { eventTypeOfKind } from "./event-types.ts";
import { newId } from "./ids.ts";
import { preferencesOf } from "./preferences.ts";
import type { NotifyDatabase } from "./schema.ts";
import { webhookBody } from "./webhook-payload.ts";

export type IntakeResult = "recorded" | "duplicate" | "ignored";

/**
 * Turns one lifecycle event into everything it causes (feed entry, mail,
 * webhook deliveries) in one transaction, keyed by the event id: the
 * stream delivers at least once, and a second delivery of an event finds
 * its id taken and changes nothing.
 */
export async function recordEvent(db: Kysely<NotifyDatabase>, event: VideoEvent, now: Date): Promise<IntakeResult> {
  if (event.kind.case === "commented") return recordComment(db, event, event.kind.value, now);
  const type = eventTypeOfKind(event.kind.case);
  // Progress reports are not notifications, and an event without ids names nobody to tell.
  if (!type || event.eventId === "" || event.ownerId === "" || event.videoId === "") return "ignored";
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("events")
      .values({ event_id: event.eventId, event_type: type, video_id: event.videoId, owner_id: event.ownerId, received_at: now })
      .onConflict((oc) => oc.column("event_id").doNothing())
      .returning("event_id")
      .executeTakeFirst();
    if (!inserted) return "duplicate";

    if (event.kind.case === "ready" || event.kind.case === "failed") {
      const kind = event.kind.case === "ready" ? "video_ready" : "video_failed";
      const reason = event.kind.case === "failed" ? event.kind.value.reason : "";
      await trx
        .insertInto("notifications")
        .values({ id: newId(), user_id: event.ownerId, event_id: event.eventId, kind, video_id: event.videoId, failure_reason: reason, created_at: now })
        .onConflict((oc) => oc.columns(["user_id", "event_id"]).doNothing())
        .execute();
      const preferences = await preferencesOf(trx, event.ownerId);
      if (kind === "video_ready" ? preferences.emailVideoReady : preferences.emailVideoFailed) {
        await trx
          .insertInto("outgoing_emails")
          .values({
            id: newId(),
            dedupe_key: `event:${event.eventId}`,
            user_id: event.ownerId,
            kind,
            data: JSON.stringify({ videoId: event.videoId, title: event.video?.title ?? "", reason }),
            status: "pending",
            created_at: now,
            next_attempt_at: now,
          })
          .onConflict((oc) => oc.column("dedupe_key").doNothing())
          .execute();
      }
    }

    const endpoints = await trx
      .selectFrom("webhook_endpoints")
      .select("id")
      .where("user_id", "=", event.ownerId)
      .where("disabled_at", "is", null)
      .where(sql<boolean>`${type} = any(event_types)`)
      .execute();
    if (endpoints.length > 0) {
      const body = webhookBody(event, type);
      await trx
        .insertInto("webhook_deliveries")
        .values(
          endpoints.map((endpoint) => ({
            id: newId(),
            endpoint_id: endpoint.id,
            event_id: event.eventId,
            event_type: type,
            body,
            status: "pending" as const,
            created_at: now,
            retry_started_at: now,
            next_attempt_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(["endpoint_id", "event_id"]).doNothing())
        .execute();
    }
    return "recorded";
  });
}

/**
 * A comment on someone's video puts one entry in the owner's feed; the
 * owner's own comments do not. No mail and no webhook: those are for
 * lifecycle events. Idempotent like the rest, by the event id.
 */
async function recordComment(db: Kysely<NotifyDatabase>, event: VideoEvent, comment: VideoCommented, now: Date): Promise<IntakeResult> {
  if (event.eventId === "" || event.ownerId === "" || event.videoId === "" || comment.commentId === "") return "ignored";
  if (comment.authorId === event.ownerId) return "ignored";
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("events")
      .values({ event_id: event.eventId, event_type: "video.commented", video_id: event.videoId, owner_id: event.ownerId, received_at: now })
      .onConflict((oc) => oc.column("event_id").doNothing())
      .returning("event_id")
      .executeTakeFirst();
    if (!inserted) return "duplicate";
    await trx
      .insertInto("notifications")
      .values({
        id: newId(),
        user_id: event.ownerId,
        event_id: event.eventId,
        kind: "video_commented",
        video_id: event.videoId,
        failure_reason: "",
        comment_id: comment.commentId,
        comment_author_id: comment.authorId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(["user_id", "event_id"]).doNothing())
      .execute();
    return "recorded";
  });
}
