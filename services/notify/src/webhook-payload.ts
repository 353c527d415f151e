import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { VideoEvent } from "@kino/proto/events/v1";
import type { EventTypeName } from "./schema.ts";

/** What a video event says, as the body's "data" spells it (snake_case, like the rest of the body). */
function dataOf(event: VideoEvent): Record<string, unknown> {
  const common = { video_id: event.videoId, owner_id: event.ownerId };
  switch (event.kind.case) {
    case "uploaded":
      return { ...common, source_key: event.kind.value.sourceKey };
    case "ready":
      return { ...common, playback_path: event.kind.value.playbackPath, duration_seconds: event.kind.value.durationSeconds };
    case "failed":
      return { ...common, reason: event.kind.value.reason };
    default:
      return common;
  }
}

/**
 * The body every attempt of a delivery sends, made once: the id is the
 * catalog's event id, so a receiver drops a repeat by it.
 */
export function webhookBody(event: VideoEvent, type: EventTypeName): string {
  const createdAt = event.time ? timestampDate(event.time) : new Date();
  return JSON.stringify({ id: event.eventId, type, created_at: createdAt.toISOString(), data: dataOf(event) });
}
