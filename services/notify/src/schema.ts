import type { ColumnType, Generated, Selectable } from "kysely";

/** As webhook bodies and endpoint filters spell them. */
export type EventTypeName = "video.uploaded" | "video.ready" | "video.failed" | "video.deleted";

/** Every lifecycle event taken from the stream, once: its id is what makes a redelivered event a no-op. */
export interface EventsTable {
  event_id: string;
  event_type: string;
  video_id: string;
  owner_id: string;
  received_at: Date;
}

export interface WebhookEndpointsTable {
  id: string;
  seq: Generated<string>;
  user_id: string;
  url: string;
  event_types: ColumnType<EventTypeName[], EventTypeName[], EventTypeName[]>;
  /** The HMAC key; needed in clear to sign, never returned after creation. */
  secret: string;
  created_at: Date;
  disabled_at: Date | null;
  disabled_reason: string | null;
  /** The first failed attempt since the last success; null while healthy. */
  failing_since: Date | null;
}

export type DeliveryStatusName = "pending" | "succeeded" | "failed";

export interface WebhookDeliveriesTable {
  id: string;
  seq: Generated<string>;
  endpoint_id: string;
  event_id: string;
  event_type: EventTypeName;
  /** The exact bytes every attempt sends (and signs). */
  body: string;
  status: DeliveryStatusName;
  created_at: Date;
  /** Start of the retry window: creation, or the last redelivery. */
  retry_started_at: Date;
  /** Due time while pending; a claimed delivery's lease end while an attempt runs. */
  next_attempt_at: Date | null;
  attempts: Generated<number>;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  latency_ms: number;
  /** 0 when nothing answered. */
  response_code: number;
  /** Empty when it succeeded. */
  error: string;
}

export type NotificationKindName = "video_ready" | "video_failed" | "video_commented";

export interface NotificationsTable {
  id: string;
  seq: Generated<string>;
  user_id: string;
  event_id: string;
  kind: NotificationKindName;
  video_id: string;
  failure_reason: string;
  /** For video_commented: the comment and its author; empty otherwise. */
  comment_id: Generated<string>;
  comment_author_id: Generated<string>;
  created_at: Date;
  read_at: Date | null;
}

export interface NotificationPreferencesTable {
  user_id: string;
  email_video_ready: boolean;
  email_video_failed: boolean;
  updated_at: Date;
}

export type EmailKindName = "video_ready" | "video_failed" | "endpoint_disabled";
export type EmailStatusName = "pending" | "sent" | "failed" | "skipped";

/** Mail to send, written in the same transaction as what caused it; a worker sends it. */
export interface OutgoingEmailsTable {
  id: string;
  /** One mail per cause (an event id, an endpoint's disabling). */
  dedupe_key: string;
  user_id: string;
  kind: EmailKindName;
  data: ColumnType<Record<string, string>, string, string>;
  status: EmailStatusName;
  attempts: Generated<number>;
  created_at: Date;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  last_error: string | null;
}

export interface NotifyDatabase {
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  outgoing_emails: OutgoingEmailsTable;
}

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type OutgoingEmailRow = Selectable<OutgoingEmailsTable>;
