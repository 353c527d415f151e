import { randomUUID } from "node:crypto";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { EventSchema, type Event } from "@kino/proto/analytics/v1";

/** Playback between two heartbeats, as the player SDK sends them. */
export const heartbeatMs = 10_000;
/** Length of each stall in a planned view. */
export const rebufferMs = 500;

/** One playback session as a viewer's player reports it. */
export interface SdkViewPlan {
  videoId: string;
  viewerId: string;
  /** Heartbeats sent, each after 10 s of playback. */
  heartbeats: number;
  startupMs?: number;
  /** Stalls after the first frame, 500 ms each. */
  rebuffers?: number;
  bitrateBps?: number;
  error?: boolean;
  /** Ends before the first frame. */
  exitBeforeStart?: boolean;
}

const gapMs = 100;

/** How long the events of a view span on the client's clock. */
export function sdkViewSpanMs(plan: SdkViewPlan): number {
  if (plan.exitBeforeStart) return gapMs;
  const rebuffers = plan.rebuffers ?? 0;
  return (plan.startupMs ?? 800) + rebuffers * (gapMs + rebufferMs) + (plan.error ? gapMs : 0) + plan.heartbeats * heartbeatMs + gapMs;
}

/**
 * The events the player SDK sends for one view, in order, on a clock that
 * starts at `startMs`: ViewStart, Playing with its startup time, stalls, an
 * error, heartbeats whose counters grow, and ViewEnd with the final counters.
 */
export function sdkViewEvents(plan: SdkViewPlan, startMs: number): Event[] {
  const viewId = randomUUID();
  let sequence = 0n;
  let clock = startMs;
  const event = (payload: MessageInitShape<typeof EventSchema>["payload"], afterMs = gapMs): Event =>
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
