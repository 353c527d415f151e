import { randomUUID } from "node:crypto";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { toEventRow } from "@kino/analytics-collector";
import type { AnalyticsStore, EventRow } from "@kino/analytics-store";
import { EventSchema, type Event } from "@kino/proto/analytics/v1";

export const heartbeatMs = 10_000;
export const rebufferMs = 500;

/** One playback session as a viewer's player would report it. */
export interface ViewPlan {
  videoId: string;
  viewerId: string;
  startMs: number;
  /** Heartbeats sent, each after 10 s of playback. */
  heartbeats: number;
  startupMs?: number;
  /** Stalls after the first frame, 500 ms each. */
  rebuffers?: number;
  bitrateBps?: number;
  error?: boolean;
  /** Ends before the first frame. */
  exitBeforeStart?: boolean;
  device: { deviceType: string; browserName: string; osName: string };
  country: string;
}

/**
 * The events the player SDK sends for one view, in order: ViewStart,
 * Playing with its startup time, stalls, an error, heartbeats whose
 * counters grow, and ViewEnd with the final counters.
 */
export function sdkEvents(plan: ViewPlan): Event[] {
  const viewId = randomUUID();
  let sequence = 0n;
  let clock = plan.startMs;
  const event = (payload: MessageInitShape<typeof EventSchema>["payload"], afterMs = 100): Event =>
    create(EventSchema, {
      eventId: randomUUID(),
      viewId,
      viewerId: plan.viewerId,
      videoId: plan.videoId,
      sdkName: "kino-web",
      sdkVersion: "0.1.0",
      clientTime: timestampFromMs((clock += afterMs)),
      sequence: sequence++,
      payload,
    });
  const events = [event({ case: "viewStart", value: { autoplay: true, playerName: "kino-player" } }, 0)];
  if (plan.exitBeforeStart) return [...events, event({ case: "viewEnd", value: {} })];

  const bitrate = BigInt(plan.bitrateBps ?? 2_500_000);
  const rebuffers = plan.rebuffers ?? 0;
  const counters = (beats: number) => ({
    watchTimeMs: BigInt(beats * heartbeatMs),
    rebufferTimeMs: BigInt(rebuffers * rebufferMs),
    playedBits: (bitrate * BigInt(beats * heartbeatMs)) / 1000n,
  });
  events.push(event({ case: "playing", value: { startupTimeMs: plan.startupMs ?? 800 } }, plan.startupMs ?? 800));
  for (let i = 0; i < rebuffers; i++) {
    events.push(event({ case: "rebufferStart", value: { playheadMs: 1000n } }));
    events.push(event({ case: "rebufferEnd", value: { playheadMs: 1000n, durationMs: rebufferMs } }, rebufferMs));
  }
  if (plan.error) events.push(event({ case: "error", value: { code: "E_NET", message: "segment failed", fatal: false } }));
  for (let beat = 1; beat <= plan.heartbeats; beat++) {
    const value = { playheadMs: BigInt(beat * heartbeatMs), rendition: "720p", bitrateBps: bitrate, bufferLengthMs: 8000, counters: counters(beat) };
    events.push(event({ case: "heartbeat", value }, heartbeatMs));
  }
  events.push(event({ case: "viewEnd", value: { playheadMs: BigInt(plan.heartbeats * heartbeatMs), counters: counters(plan.heartbeats) } }));
  return events;
}

/** The rows the collector makes of views' events: its own validation and conversion, the device and country as given. */
export function collectorRows(plans: ViewPlan[]): EventRow[] {
  return plans.flatMap((plan) => sdkEvents(plan).map((event) => {
    const context = {
      receivedAtMs: plan.startMs + 1000,
      device: { ...plan.device, osVersion: "", browserVersion: "" },
      country: plan.country,
    };
    const result = toEventRow(event, context, { pastMs: 3_600_000, futureMs: 3_600_000 });
    if ("error" in result) throw new Error(`the collector refuses a test event: ${result.error}`);
    return result.row;
  }));
}

/** Stores rows through the store's insert path, as the collector's sink does. */
export async function storeRows(store: AnalyticsStore, rows: EventRow[]): Promise<void> {
  await store.insertEventsJson([Buffer.from(rows.map((row) => JSON.stringify(row)).join("\n") + "\n")]);
}
