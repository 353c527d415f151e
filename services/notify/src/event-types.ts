import { EventType } from "@kino/proto/notify/v1";
import type { EventTypeName } from "./schema.ts";

const names = new Map<EventType, EventTypeName>([
  [EventType.VIDEO_UPLOADED, "video.uploaded"],
  [EventType.VIDEO_READY, "video.ready"],
  [EventType.VIDEO_FAILED, "video.failed"],
  [EventType.VIDEO_DELETED, "video.deleted"],
]);
const types = new Map([...names].map(([type, name]) => [name, type]));

/** The wire name of a contract value; undefined for UNSPECIFIED or a value this build does not know. */
export function eventTypeName(type: EventType): EventTypeName | undefined {
  return names.get(type);
}

export function eventTypeOf(name: EventTypeName): EventType {
  return types.get(name) ?? EventType.UNSPECIFIED;
}

/** The webhook type of a catalog event kind (VideoEvent's oneof case); progress is not delivered. */
export function eventTypeOfKind(kind: string | undefined): EventTypeName | undefined {
  const name = `video.${kind}` as EventTypeName;
  return types.has(name) ? name : undefined;
}
