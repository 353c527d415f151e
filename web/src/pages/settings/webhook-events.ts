import { EventType } from "@kino/proto/notify/v1";

/** The lifecycle events an endpoint may ask for, in the words the settings page uses. */
export const eventNames: [EventType, string][] = [
  [EventType.VIDEO_UPLOADED, "video.uploaded"],
  [EventType.VIDEO_READY, "video.ready"],
  [EventType.VIDEO_FAILED, "video.failed"],
  [EventType.VIDEO_DELETED, "video.deleted"],
];

export const nameOfEvent = (type: EventType) => eventNames.find(([value]) => value === type)?.[1] ?? String(type);
