import { fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { EventSchema, type Event } from "@kino/proto/analytics/v1";
import { BatchError } from "./batch-error.ts";

export type BeaconFormat = "json" | "protobuf";

/** JSON is also accepted as text/plain: what navigator.sendBeacon can send without a CORS preflight. */
export function beaconFormat(contentType: string): BeaconFormat | undefined {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type === "text/plain") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf" || type === "application/octet-stream") return "protobuf";
  return undefined;
}

/** A JSON batch envelope: its id and its events, each still as JSON.parse left it. */
export interface JsonBatch {
  batchId: string;
  events: unknown[];
}

/** A binary EventBatch: its id and each event's undecoded bytes. */
export interface BinaryBatch {
  batchId: string;
  events: Uint8Array[];
}

/** One event decoded by protobuf-es, or why it could not be. */
export type DecodedEvent = { event: Event } | { eventId: string; error: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function tooMany(count: number, maxEvents: number): BatchError {
  return new BatchError(413, "resource_exhausted", `batch has ${count} events; at most ${maxEvents} are accepted per batch`);
}

/**
 * Reads the envelope only, so that each event is then decoded on its own and
 * one malformed event is reported without sinking its neighbours. Throws
 * BatchError when the envelope itself is unusable.
 */
export function readJsonBatch(body: Uint8Array, maxEvents: number): JsonBatch {
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
  return { batchId: id, events };
}

/** The general JSON path: everything the protobuf JSON mapping allows, with fromJson's words when it does not. */
export function decodeJsonEvent(json: unknown): DecodedEvent {
  try {
    return { event: fromJson(EventSchema, json as JsonValue, { ignoreUnknownFields: true }) };
  } catch (error) {
    return { eventId: jsonEventId(json), error: (error as Error).message };
  }
}

function jsonEventId(json: unknown): string {
  if (typeof json !== "object" || json === null) return "";
  const { eventId, event_id } = json as Record<string, unknown>;
  const id = eventId ?? event_id;
  return typeof id === "string" ? id.slice(0, 64) : "";
}

/** Walks EventBatch's fields by hand so each event's bytes decode separately. */
export function readBinaryBatch(body: Uint8Array, maxEvents: number): BinaryBatch {
  const events: Uint8Array[] = [];
  let batchId = "";
  try {
    const reader = new BinaryReader(body);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === WireType.LengthDelimited) {
        events.push(reader.bytes());
        if (events.length > maxEvents) throw tooMany(events.length, maxEvents);
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
  if (events.length === 0) throw new BatchError(400, "invalid_argument", "batch has no events");
  return { batchId, events };
}

export function decodeBinaryEvent(bytes: Uint8Array): DecodedEvent {
  try {
    return { event: fromBinary(EventSchema, bytes, { readUnknownFields: false }) };
  } catch (error) {
    return { eventId: "", error: `not a valid protobuf Event: ${(error as Error).message}` };
  }
}
