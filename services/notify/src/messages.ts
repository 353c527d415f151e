import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  DeliveryStatus,
  NotificationKind,
  type NotificationSchema,
  type WebhookDeliverySchema,
  type WebhookEndpointSchema,
} from "@kino/proto/notify/v1";
import { eventTypeOf } from "./event-types.ts";
import type { AttemptRow, DeliveryRow, EndpointRow, NotificationRow } from "./schema.ts";

const optionalTime = (date: Date | null) => (date ? timestampFromDate(date) : undefined);

export function endpointMessage(row: EndpointRow): MessageInitShape<typeof WebhookEndpointSchema> {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types.map(eventTypeOf),
    createTime: timestampFromDate(row.created_at),
    disableTime: optionalTime(row.disabled_at),
    disabledReason: row.disabled_reason ?? "",
    failingSinceTime: optionalTime(row.failing_since),
  };
}

const statuses = { pending: DeliveryStatus.PENDING, succeeded: DeliveryStatus.SUCCEEDED, failed: DeliveryStatus.FAILED } as const;

export function deliveryMessage(row: DeliveryRow, attempts: AttemptRow[]): MessageInitShape<typeof WebhookDeliverySchema> {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: eventTypeOf(row.event_type),
    status: statuses[row.status],
    createTime: timestampFromDate(row.created_at),
    // While an attempt runs, next_attempt_at is its lease; shown as due then, which is when a retry would come.
    nextAttemptTime: row.status === "pending" ? optionalTime(row.next_attempt_at) : undefined,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      time: timestampFromDate(a.started_at),
      latencyMs: a.latency_ms,
      responseCode: a.response_code,
      error: a.error,
    })),
  };
}

const kinds = { video_ready: NotificationKind.VIDEO_READY, video_failed: NotificationKind.VIDEO_FAILED, video_commented: NotificationKind.VIDEO_COMMENTED } as const;

export function notificationMessage(row: NotificationRow): MessageInitShape<typeof NotificationSchema> {
  return {
    id: row.id,
    kind: kinds[row.kind],
    videoId: row.video_id,
    failureReason: row.failure_reason,
    commentId: row.comment_id,
    commentAuthorId: row.comment_author_id,
    createTime: timestampFromDate(row.created_at),
    readTime: optionalTime(row.read_at),
  };
}
