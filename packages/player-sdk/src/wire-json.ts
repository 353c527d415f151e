import type { BeaconEvent } from "./beacon-payload.ts";

/** Fields that are uint64 in beacon.proto: canonical JSON writes them as decimal strings. */
const uint64Fields = new Set(["sequence", "playheadMs", "bitrateBps", "fromMs", "toMs", "watchTimeMs", "rebufferTimeMs", "playedBits", "droppedFrames"]);

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | JsonObject;

/** Protobuf canonical JSON leaves out fields at their default value. */
function encodeMessage(value: object): JsonObject {
  const json: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === 0 || field === "" || field === false) continue;
    if (typeof field === "object") json[key] = encodeMessage(field);
    else if (typeof field === "number") json[key] = uint64Fields.has(key) ? String(Math.max(0, Math.round(field))) : Math.max(0, Math.round(field));
    else json[key] = field as string | boolean;
  }
  return json;
}

/** google.protobuf.Timestamp in canonical form: no fraction when it is zero. */
function timestampJson(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** An event as the canonical JSON of kino.analytics.v1.Event. */
export function eventJson(event: BeaconEvent): JsonObject {
  return encodeMessage({
    eventId: event.eventId,
    viewId: event.viewId,
    viewerId: event.viewerId,
    videoId: event.videoId,
    sdkName: event.sdkName,
    sdkVersion: event.sdkVersion,
    clientTime: timestampJson(event.clientTimeMs),
    sequence: event.sequence,
    [event.payload.case]: event.payload.value,
  });
}

/** The body of POST /v1/events from events already encoded with JSON.stringify(eventJson(…)). */
export function batchBody(encodedEvents: readonly string[]): string {
  return `{"events":[${encodedEvents.join(",")}]}`;
}
