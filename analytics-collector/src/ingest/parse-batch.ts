import { fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { EventSchema, type Event } from "@kino/proto/analytics/v1";
import { BatchError } from "./batch-error.ts";
import { createFastJsonReader } from "./fast-json-reader.ts";

export type BeaconFormat = "json" | "protobuf";

/** JSON is also accepted as text/plain: what navigator.sendBeacon can send without a CORS preflight. */
export function beaconFormat(contentType: string): BeaconFormat | undefined {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type === "text/plain") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf" || type === "application/octet-stream") return "protobuf";
  return undefined;
}

/** One entry of a batch: the decoded event, or why it could not be decoded. */
export type DecodedEvent = { index: number; event: Event } | { index: number; eventId: string; error: string };

export interface DecodedBatch {
  batchId: string;
  events: DecodedEvent[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const readEventFast = createFastJsonReader(EventSchema);

/**
 * Reads the batch envelope, then each event on its own, so one malformed
 * event is reported without sinking its neighbours. Throws BatchError when
 * the envelope itself is unusable.
 */
export function decodeBatch(body: Uint8Array, format: BeaconFormat, maxEvents: number): DecodedBatch {
  return format === "json" ? decodeJsonBatch(body, maxEvents) : decodeBinaryBatch(body, maxEvents);
}

function tooMany(count: number, maxEvents: number): BatchError {
  return new BatchError(413, "resource_exhausted", `batch has ${count} events; at most ${maxEvents} are accepted per batch`);
}

function decodeJsonBatch(body: Uint8Array, maxEvents: number): DecodedBatch {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch (cause) {
    throw new BatchError(400, "invalid_argument", "body is not valid UTF-8", { cause });
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (cause) {
    throw new BatchError(400, "invalid_argument", `body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) {
    throw new BatchError(400, "invalid_argument", "body must be a JSON object with an \"events\" array");
  }
  const { events, batchId, batch_id } = envelope as Record<string, unknown>;
  if (!Array.isArray(events)) throw new BatchError(400, "invalid_argument", "\"events\" must be an array");
  if (events.length === 0) throw new BatchError(400, "invalid_argument", "\"events\" is empty");
  if (events.length > maxEvents) throw tooMany(events.length, maxEvents);
  const id = batchId ?? batch_id ?? "";
  if (typeof id !== "string") throw new BatchError(400, "invalid_argument", "\"batchId\" must be a string");
  return {
    batchId: id,
    events: events.map((json, index): DecodedEvent => {
      try {
        const event = readEventFast(json) ?? fromJson(EventSchema, json as JsonValue, { ignoreUnknownFields: true });
        return { index, event };
      } catch (error) {
        return { index, eventId: jsonEventId(json), error: (error as Error).message };
      }
    }),
  };
}

function jsonEventId(json: unknown): string {
  if (typeof json !== "object" || json === null) return "";
  const { eventId, event_id } = json as Record<string, unknown>;
  const id = eventId ?? event_id;
  return typeof id === "string" ? id.slice(0, 64) : "";
}

/** Walks EventBatch's fields by hand so each event's bytes decode separately. */
function decodeBinaryBatch(body: Uint8Array, maxEvents: number): DecodedBatch {
  const eventBytes: Uint8Array[] = [];
  let batchId = "";
  try {
    const reader = new BinaryReader(body);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === WireType.LengthDelimited) {
        eventBytes.push(reader.bytes());
        if (eventBytes.length > maxEvents) throw tooMany(eventBytes.length, maxEvents);
      } else if (field === 2 && wireType === WireType.LengthDelimited) {
        batchId = reader.string();
      } else {
        reader.skip(wireType, field);
      }
    }
  } catch (cause) {
    if (cause instanceof BatchError) throw cause;
    throw new BatchError(400, "invalid_argument", `body is not a valid protobuf EventBatch: ${(cause as Error).message}`, { cause });
  }
  if (eventBytes.length === 0) throw new BatchError(400, "invalid_argument", "batch has no events");
  return {
    batchId,
    events: eventBytes.map((bytes, index): DecodedEvent => {
      try {
        return { index, event: fromBinary(EventSchema, bytes, { readUnknownFields: false }) };
      } catch (error) {
        return { index, eventId: "", error: `not a valid protobuf Event: ${(error as Error).message}` };
      }
    }),
  };
}
