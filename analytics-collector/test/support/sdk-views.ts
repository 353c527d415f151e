import { randomUUID } from "node:crypto";
import { create, toBinary, toJson, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { EventBatchSchema, EventSchema, type Event } from "@kino/proto/analytics/v1";

export interface ViewPlan {
  videoId: string;
  viewerId: string;
  heartbeats: number;
  startupMs?: number;
  rebuffers?: number;
  error?: boolean;
  /** Ends before the first frame. */
  exitBeforeStart?: boolean;
}

export interface ExpectedTotals {
  views: number;
  uniqueViewers: number;
  watchTimeMs: number;
  rebufferCount: number;
  exitsBeforeStart: number;
  events: number;
}

const heartbeatMs = 10_000;
const bitrate = 2_500_000n;

/**
 * The events a player SDK sends for one view, in order: ViewStart, Playing
 * (with startup time), heartbeats with growing counters, stalls, an error,
 * ViewEnd with the final counters.
 */
export function sdkView(plan: ViewPlan, startMs = Date.now() - 60_000): Event[] {
  const viewId = randomUUID();
  let sequence = 0n;
  let clock = startMs;
  const event = (payload: MessageInitShape<typeof EventSchema>["payload"]): Event =>
    create(EventSchema, {
      eventId: randomUUID(),
      viewId,
      viewerId: plan.viewerId,
      videoId: plan.videoId,
      sdkName: "kino-web",
      sdkVersion: "0.1.0",
      clientTime: timestampFromMs((clock += 100)),
      sequence: sequence++,
      payload,
    });
  const events = [event({ case: "viewStart", value: { autoplay: true, playerName: "kino-player" } })];
  if (plan.exitBeforeStart) {
    events.push(event({ case: "viewEnd", value: {} }));
    return events;
  }
  events.push(event({ case: "playing", value: { startupTimeMs: plan.startupMs ?? 800 } }));
  for (let i = 0; i < (plan.rebuffers ?? 0); i++) {
    events.push(event({ case: "rebufferStart", value: { playheadMs: 1000n } }));
    events.push(event({ case: "rebufferEnd", value: { playheadMs: 1000n, durationMs: 500 } }));
  }
  if (plan.error) events.push(event({ case: "error", value: { code: "E_NET", message: "segment failed", fatal: false } }));
  const counters = (beats: number) => ({
    watchTimeMs: BigInt(beats * heartbeatMs),
    rebufferTimeMs: BigInt((plan.rebuffers ?? 0) * 500),
    playedBits: (bitrate * BigInt(beats * heartbeatMs)) / 1000n,
  });
  for (let beat = 1; beat <= plan.heartbeats; beat++) {
    events.push(event({ case: "heartbeat", value: { playheadMs: BigInt(beat * heartbeatMs), rendition: "720p", bitrateBps: bitrate, bufferLengthMs: 8000, counters: counters(beat) } }));
  }
  events.push(event({ case: "viewEnd", value: { playheadMs: BigInt(plan.heartbeats * heartbeatMs), counters: counters(plan.heartbeats) } }));
  return events;
}

export function expectedTotals(plans: ViewPlan[], events: number): ExpectedTotals {
  return {
    views: plans.length,
    uniqueViewers: new Set(plans.map((p) => p.viewerId)).size,
    watchTimeMs: plans.reduce((sum, p) => sum + (p.exitBeforeStart ? 0 : p.heartbeats * heartbeatMs), 0),
    rebufferCount: plans.reduce((sum, p) => sum + (p.rebuffers ?? 0), 0),
    exitsBeforeStart: plans.filter((p) => p.exitBeforeStart).length,
    events,
  };
}

export function jsonBatch(events: Event[], batchId = ""): string {
  return JSON.stringify({ batchId, events: events.map((e) => toJson(EventSchema, e)) });
}

export function binaryBatch(events: Event[], batchId = ""): Uint8Array {
  return toBinary(EventBatchSchema, create(EventBatchSchema, { events, batchId }));
}

/** A valid event as canonical JSON, for tests that then break one field. */
export function jsonEvent(videoId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    viewId: randomUUID(),
    viewerId: "viewer-1",
    videoId,
    sdkName: "kino-web",
    sdkVersion: "0.1.0",
    clientTime: new Date().toISOString(),
    sequence: "0",
    viewStart: {},
    ...overrides,
  };
}
