import type { DescMessage } from "@bufbuild/protobuf";
import { EventSchema } from "@kino/proto/analytics/v1";
import type { BatchRowContext } from "./batch-row-context.ts";
import { idPattern, textLimits } from "./event-row.ts";

/*
 * The hot path for JSON beacons: one SDK-shaped event, as JSON.parse left
 * it, straight to its JSONEachRow line. The general path (protobuf-es
 * fromJson, then toEventRow, then JSON.stringify) builds a message, a row
 * object and BigInts per event and costs several times more. This path
 * accepts only events that are valid and in the common shape (camelCase
 * names, plain values) and returns undefined for anything else, so the
 * general path decides: it accepts the other forms JSON mapping allows and
 * words the rejection. For what it accepts, its line equals the general
 * path's row; a test checks that on SDK events and thousands of mutations.
 */

const uint64Text = /^(0|[1-9][0-9]{0,14})$/;
const rfc3339 = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9][0-9]:[0-9][0-9])$/;
const timestampMsMin = -62135596800000;
const timestampMsMax = 253402300799000;

/** Proto field names that differ from their JSON names: fromJson reads them, so this path leaves them to it. */
function protoNameAliases(desc: DescMessage, into = new Set<string>()): Set<string> {
  for (const field of desc.fields) {
    if (field.name !== field.jsonName) into.add(field.name);
    if (field.message && !field.message.file.name.startsWith("google/protobuf/")) protoNameAliases(field.message, into);
  }
  return into;
}

const aliases = protoNameAliases(EventSchema);

/** A key this path does not know: ignored as fromJson ignores unknown fields, unless fromJson would read it. */
function ignorable(key: string): boolean {
  return !aliases.has(key) && key.charCodeAt(0) !== 0x5b; // "[": extension syntax
}

/** uint64 as a number, or -1 to give up (fromJson accepts more forms; toEventRow refuses past 2^53). */
function uint64(value: unknown): number {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : -1;
  return typeof value === "string" && uint64Text.test(value) ? Number(value) : -1;
}

function uint32(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : -1;
}

/** The last whole second parsed: the events of a batch mostly share it, and Date.parse is the dearest step here. */
let lastSecond = { text: "", ms: NaN };

function secondMs(text: string): number {
  if (text === lastSecond.text) return lastSecond.ms;
  const ms = Date.parse(text);
  lastSecond = { text, ms };
  return ms;
}

/** Milliseconds as timestampMs(fromJson(Timestamp)) computes them, or NaN. */
function timestampMs(value: unknown): number {
  if (typeof value !== "string") return NaN;
  const m = rfc3339.exec(value);
  if (!m) return NaN;
  const fraction = m[7];
  const seconds = secondMs(fraction ? value.slice(0, 19) + m[8] : value);
  if (Number.isNaN(seconds) || seconds < timestampMsMin || seconds > timestampMsMax) return NaN;
  if (!fraction) return seconds;
  const nanos = parseInt(`1${fraction}${"0".repeat(9 - fraction.length)}`) - 1_000_000_000;
  return seconds + Math.round(nanos / 1_000_000);
}

type FieldKind = "uint64" | "uint32" | "string" | "bool" | "counters";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `,"watch_time_ms":…` for ViewCounters, or undefined. */
function countersColumns(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  let watch = 0;
  let rebuffer = 0;
  let bits = 0;
  let dropped = 0;
  for (const key in json) {
    const v = json[key];
    switch (key) {
      case "watchTimeMs": watch = uint64(v); break;
      case "rebufferTimeMs": rebuffer = uint64(v); break;
      case "playedBits": bits = uint64(v); break;
      case "droppedFrames": dropped = uint64(v); break;
      default: if (v === null || !ignorable(key)) return undefined;
    }
  }
  if (watch < 0 || rebuffer < 0 || bits < 0 || dropped < 0) return undefined;
  return `,"watch_time_ms":${watch},"rebuffer_time_ms":${rebuffer},"played_bits":${bits},"dropped_frames":${dropped}`;
}

/** The JSON names and kinds of each payload's fields (every field, so a wrong type anywhere defers to fromJson). */
const fields = {
  viewStart: { autoplay: "bool", playerName: "string", playerVersion: "string" },
  playing: { playheadMs: "uint64", startupTimeMs: "uint32" },
  heartbeat: { playheadMs: "uint64", rendition: "string", bitrateBps: "uint64", bufferLengthMs: "uint32", counters: "counters" },
  rebufferStart: { playheadMs: "uint64" },
  rebufferEnd: { playheadMs: "uint64", durationMs: "uint32" },
  seek: { fromMs: "uint64", toMs: "uint64" },
  renditionChange: { playheadMs: "uint64", rendition: "string", bitrateBps: "uint64", width: "uint32", height: "uint32" },
  error: { playheadMs: "uint64", code: "string", message: "string", fatal: "bool" },
  viewEnd: { playheadMs: "uint64", counters: "counters" },
} satisfies Record<string, Record<string, FieldKind>>;

/** Reads a payload object's fields by JSON name; undefined when one is of the wrong type or unusual. */
function readFields(json: unknown, kinds: Readonly<Record<string, FieldKind>>): Record<string, unknown> | undefined {
  if (!isObject(json)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in json) {
    const v = json[key];
    const kind = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
    if (v === null) return undefined;
    if (kind === undefined) {
      if (!ignorable(key)) return undefined;
      continue;
    }
    let read: unknown;
    switch (kind) {
      case "uint64": read = uint64(v); break;
      case "uint32": read = uint32(v); break;
      case "string": read = typeof v === "string" ? v : -1; break;
      case "bool": read = typeof v === "boolean" ? v : -1; break;
      case "counters": read = countersColumns(v) ?? -1; break;
    }
    if (read === -1) return undefined;
    out[key] = read;
  }
  return out;
}

const num = (value: unknown) => (value as number | undefined) ?? 0;
const str = (value: unknown) => (value as string | undefined) ?? "";
const bool = (value: unknown) => (value === true ? 1 : 0);
/** Text column of at most `max` UTF-16 units, or undefined. */
const text = (value: unknown, max: number) => {
  const s = str(value);
  return s.length > max ? undefined : JSON.stringify(s);
};

/** The event type and its payload columns (`,"col":value…`), as toEventRow fills them. */
function payloadColumns(key: string, json: unknown): [string, string] | undefined {
  switch (key) {
    case "viewStart": {
      const f = readFields(json, fields.viewStart);
      const name = f && text(f.playerName, textLimits.playerText);
      const version = f && text(f.playerVersion, textLimits.playerText);
      if (name === undefined || version === undefined) return undefined;
      return ["view_start", `,"autoplay":${bool(f?.autoplay)},"player_name":${name},"player_version":${version}`];
    }
    case "playing": {
      const f = readFields(json, fields.playing);
      return f && ["playing", `,"playhead_ms":${num(f.playheadMs)},"startup_time_ms":${num(f.startupTimeMs)}`];
    }
    case "heartbeat": {
      const f = readFields(json, fields.heartbeat);
      const rendition = f && text(f.rendition, textLimits.rendition);
      if (rendition === undefined) return undefined;
      return ["heartbeat", `,"playhead_ms":${num(f?.playheadMs)},"rendition":${rendition},"bitrate_bps":${num(f?.bitrateBps)},"buffer_length_ms":${num(f?.bufferLengthMs)}${str(f?.counters)}`];
    }
    case "rebufferStart": {
      const f = readFields(json, fields.rebufferStart);
      return f && ["rebuffer_start", `,"playhead_ms":${num(f.playheadMs)}`];
    }
    case "rebufferEnd": {
      const f = readFields(json, fields.rebufferEnd);
      return f && ["rebuffer_end", `,"playhead_ms":${num(f.playheadMs)},"rebuffer_duration_ms":${num(f.durationMs)}`];
    }
    case "seek": {
      const f = readFields(json, fields.seek);
      return f && ["seek", `,"playhead_ms":${num(f.fromMs)},"seek_to_ms":${num(f.toMs)}`];
    }
    case "renditionChange": {
      const f = readFields(json, fields.renditionChange);
      const rendition = f && text(f.rendition, textLimits.rendition);
      if (rendition === undefined) return undefined;
      return ["rendition_change", `,"playhead_ms":${num(f?.playheadMs)},"rendition":${rendition},"bitrate_bps":${num(f?.bitrateBps)}`];
    }
    case "error": {
      const f = readFields(json, fields.error);
      const code = f && text(f.code, textLimits.errorCode);
      if (code === undefined) return undefined;
      // Long messages are cut rather than refused, as toEventRow does.
      const message = JSON.stringify(str(f?.message).slice(0, textLimits.errorMessage));
      return ["error", `,"playhead_ms":${num(f?.playheadMs)},"error_code":${code},"error_message":${message},"error_fatal":${bool(f?.fatal)}`];
    }
    case "viewEnd": {
      const f = readFields(json, fields.viewEnd);
      return f && ["view_end", `,"playhead_ms":${num(f.playheadMs)}${str(f.counters)}`];
    }
    default:
      return undefined;
  }
}

const payloadKeys = new Set(["viewStart", "playing", "heartbeat", "rebufferStart", "rebufferEnd", "seek", "renditionChange", "error", "viewEnd"]);

export interface JsonRow {
  /** The JSONEachRow line, without its newline. */
  line: string;
  clamped: boolean;
}

/** The row of a valid, common-shape JSON event; undefined means "take the general path". */
export function jsonEventRow(json: unknown, batch: BatchRowContext): JsonRow | undefined {
  if (!isObject(json)) return undefined;
  let eventId = "";
  let viewId = "";
  let viewerId = "";
  let videoId = "";
  let sdkName: unknown = "";
  let sdkVersion: unknown = "";
  let clientTime: unknown;
  let sequence = 0;
  let payloadKey = "";
  let payload: unknown;
  for (const key in json) {
    const value = json[key];
    if (value === null) return undefined;
    switch (key) {
      case "eventId": if (typeof value !== "string") return undefined; eventId = value; break;
      case "viewId": if (typeof value !== "string") return undefined; viewId = value; break;
      case "viewerId": if (typeof value !== "string") return undefined; viewerId = value; break;
      case "videoId": if (typeof value !== "string") return undefined; videoId = value; break;
      case "sdkName": sdkName = value; break;
      case "sdkVersion": sdkVersion = value; break;
      case "clientTime": clientTime = value; break;
      case "sequence": sequence = uint64(value); if (sequence < 0) return undefined; break;
      default:
        if (payloadKeys.has(key)) {
          if (payloadKey !== "") return undefined;
          payloadKey = key;
          payload = value;
        } else if (!ignorable(key)) {
          return undefined;
        }
    }
  }
  if (!idPattern.test(eventId) || !idPattern.test(viewId) || !idPattern.test(viewerId) || !idPattern.test(videoId)) return undefined;
  if (typeof sdkName !== "string" || sdkName === "" || sdkName.length > textLimits.sdkName) return undefined;
  if (typeof sdkVersion !== "string" || sdkVersion === "" || sdkVersion.length > textLimits.sdkVersion) return undefined;
  const clientMs = timestampMs(clientTime);
  if (Number.isNaN(clientMs)) return undefined;
  const typed = payloadColumns(payloadKey, payload);
  if (!typed) return undefined;
  const timeMs = Math.min(Math.max(clientMs, batch.earliestMs), batch.latestMs);
  const line =
    `{"event_id":"${eventId}","view_id":"${viewId}","viewer_id":"${viewerId}","video_id":"${videoId}",` +
    `"sdk_name":${JSON.stringify(sdkName)},"sdk_version":${JSON.stringify(sdkVersion)},"sequence":${sequence},` +
    `"event_type":"${typed[0]}","event_time":${Math.floor(timeMs / 1000)},"event_time_ms":${timeMs % 1000},` +
    `"received_at":${batch.receivedAtSeconds}${typed[1]}${batch.requestColumns}}`;
  return { line, clamped: timeMs !== clientMs };
}
