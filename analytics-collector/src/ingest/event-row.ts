import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { EventRow, EventType, PayloadColumns } from "@kino/analytics-store";
import { tokenIdPattern, tokenIdShape } from "@kino/platform";
import type { Event, ViewCounters } from "@kino/proto/analytics/v1";
import type { ClientDevice } from "../enrich/user-agent.ts";

/** What the collector knows about the request an event came in. */
export interface RequestContext {
  receivedAtMs: number;
  device: ClientDevice;
  country: string;
}

export interface ClockWindow {
  pastMs: number;
  futureMs: number;
}

export type RowResult = { row: EventRow; clamped: boolean } | { error: string };

class InvalidEvent extends Error {}

/** What an id may be; the JSON fast path (json-event-row.ts) checks the same. */
export const idPattern = tokenIdPattern;

/** Longest text per column, in UTF-16 units; longer is refused, except the error message, which is cut. */
export const textLimits = {
  sdkName: 64,
  sdkVersion: 32,
  playerText: 64,
  rendition: 64,
  errorCode: 128,
  errorMessage: 1000,
} as const;

function id(name: string, value: string): string {
  if (!value) throw new InvalidEvent(`${name} is required`);
  if (!idPattern.test(value)) throw new InvalidEvent(`${name} must be ${tokenIdShape}`);
  return value;
}

function text(name: string, value: string, max: number, required = false): string {
  if (required && !value) throw new InvalidEvent(`${name} is required`);
  if (value.length > max) throw new InvalidEvent(`${name} is longer than ${max} characters`);
  return value;
}

/** uint64 fields arrive as bigint; ClickHouse rows carry them as JSON numbers. */
function uint(name: string, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidEvent(`${name} is too large`);
  return Number(value);
}



function counters(value: ViewCounters | undefined): Partial<PayloadColumns> {
  if (!value) return {};
  return {
    watch_time_ms: uint("counters.watch_time_ms", value.watchTimeMs),
    rebuffer_time_ms: uint("counters.rebuffer_time_ms", value.rebufferTimeMs),
    played_bits: uint("counters.played_bits", value.playedBits),
    dropped_frames: uint("counters.dropped_frames", value.droppedFrames),
  };
}

function payloadColumns(event: Event): [EventType, Partial<PayloadColumns>] {
  const p = event.payload;
  switch (p.case) {
    case "viewStart":
      return ["view_start", {
        autoplay: p.value.autoplay ? 1 : 0,
        player_name: text("view_start.player_name", p.value.playerName, textLimits.playerText),
        player_version: text("view_start.player_version", p.value.playerVersion, textLimits.playerText),
      }];
    case "playing":
      return ["playing", { playhead_ms: uint("playing.playhead_ms", p.value.playheadMs), startup_time_ms: p.value.startupTimeMs }];
    case "heartbeat":
      return ["heartbeat", {
        playhead_ms: uint("heartbeat.playhead_ms", p.value.playheadMs),
        rendition: text("heartbeat.rendition", p.value.rendition, textLimits.rendition),
        bitrate_bps: uint("heartbeat.bitrate_bps", p.value.bitrateBps),
        buffer_length_ms: p.value.bufferLengthMs,
        ...counters(p.value.counters),
      }];
    case "rebufferStart":
      return ["rebuffer_start", { playhead_ms: uint("rebuffer_start.playhead_ms", p.value.playheadMs) }];
    case "rebufferEnd":
      return ["rebuffer_end", { playhead_ms: uint("rebuffer_end.playhead_ms", p.value.playheadMs), rebuffer_duration_ms: p.value.durationMs }];
    case "seek":
      return ["seek", { playhead_ms: uint("seek.from_ms", p.value.fromMs), seek_to_ms: uint("seek.to_ms", p.value.toMs) }];
    case "renditionChange":
      return ["rendition_change", {
        playhead_ms: uint("rendition_change.playhead_ms", p.value.playheadMs),
        rendition: text("rendition_change.rendition", p.value.rendition, textLimits.rendition),
        bitrate_bps: uint("rendition_change.bitrate_bps", p.value.bitrateBps),
      }];
    case "error":
      return ["error", {
        playhead_ms: uint("error.playhead_ms", p.value.playheadMs),
        error_code: text("error.code", p.value.code, textLimits.errorCode),
        // Long messages are cut rather than refused: the error itself is the news.
        error_message: p.value.message.slice(0, textLimits.errorMessage),
        error_fatal: p.value.fatal ? 1 : 0,
      }];
    case "viewEnd":
      return ["view_end", { playhead_ms: uint("view_end.playhead_ms", p.value.playheadMs), ...counters(p.value.counters) }];
    default:
      throw new InvalidEvent("event has no payload (view_start, playing, heartbeat, …)");
  }
}

/**
 * Checks one decoded event and turns it into a row: ids and SDK fields
 * required, numbers within range, client time clamped into
 * [received - past, received + future].
 */
export function toEventRow(event: Event, context: RequestContext, window: ClockWindow): RowResult {
  try {
    const eventId = id("event_id", event.eventId);
    const common = {
      view_id: id("view_id", event.viewId),
      viewer_id: id("viewer_id", event.viewerId),
      video_id: id("video_id", event.videoId),
      sdk_name: text("sdk_name", event.sdkName, textLimits.sdkName, true),
      sdk_version: text("sdk_version", event.sdkVersion, textLimits.sdkVersion, true),
      sequence: uint("sequence", event.sequence),
    };
    if (!event.clientTime) throw new InvalidEvent("client_time is required");
    const [eventType, columns] = payloadColumns(event);
    const clientMs = timestampMs(event.clientTime);
    const earliest = context.receivedAtMs - window.pastMs;
    const latest = context.receivedAtMs + window.futureMs;
    const timeMs = Math.min(Math.max(clientMs, earliest), latest);
    const row: EventRow = {
      event_id: eventId,
      ...common,
      event_type: eventType,
      event_time: Math.floor(timeMs / 1000),
      event_time_ms: timeMs % 1000,
      received_at: Math.floor(context.receivedAtMs / 1000),
      ...columns,
      device_type: context.device.deviceType,
      os_name: context.device.osName,
      os_version: context.device.osVersion,
      browser_name: context.device.browserName,
      browser_version: context.device.browserVersion,
      country: context.country,
    };
    return { row, clamped: timeMs !== clientMs };
  } catch (error) {
    if (error instanceof InvalidEvent) return { error: error.message };
    throw error;
  }
}
