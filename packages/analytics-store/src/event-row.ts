/** Event types as stored in `events.event_type` (an Enum8 in ClickHouse). */
export const EVENT_TYPES = [
  "view_start",
  "playing",
  "heartbeat",
  "rebuffer_start",
  "rebuffer_end",
  "seek",
  "rendition_change",
  "error",
  "view_end",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One row of the raw `events` table, as the collector writes it in
 * JSONEachRow. Times are Unix seconds. Columns an event type does not carry
 * are left out and stored as 0 or "" (the column defaults). The client's IP
 * address is never part of a row.
 */
export interface EventRow extends Partial<PayloadColumns> {
  event_id: string;
  view_id: string;
  viewer_id: string;
  video_id: string;
  event_type: EventType;
  sdk_name: string;
  sdk_version: string;
  /** Client time clamped to the collector's window, Unix seconds. */
  event_time: number;
  /** Milliseconds part of the client time, 0–999. */
  event_time_ms: number;
  received_at: number;
  sequence: number;
  device_type: string;
  os_name: string;
  os_version: string;
  browser_name: string;
  browser_version: string;
  /** ISO 3166-1 alpha-2, or "" when unknown. */
  country: string;
}

/** Columns filled by some event types only. */
export interface PayloadColumns {
  playhead_ms: number;
  rendition: string;
  bitrate_bps: number;
  buffer_length_ms: number;
  startup_time_ms: number;
  rebuffer_duration_ms: number;
  seek_to_ms: number;
  watch_time_ms: number;
  rebuffer_time_ms: number;
  played_bits: number;
  dropped_frames: number;
  error_code: string;
  error_message: string;
  error_fatal: number;
  autoplay: number;
  player_name: string;
  player_version: string;
}
