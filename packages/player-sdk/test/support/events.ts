import { randomUUID } from "node:crypto";
import type { BeaconEvent, Payload } from "../../src/index.ts";

let sequence = 0;

/** A stamped event of one test view. */
export function beaconEvent(payload: Payload, overrides: Partial<BeaconEvent> = {}): BeaconEvent {
  return {
    eventId: randomUUID(),
    viewId: "view-1",
    viewerId: "viewer-1",
    videoId: "video-1",
    sdkName: "kino-web",
    sdkVersion: "0.1.0",
    clientTimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    sequence: sequence++,
    payload,
    ...overrides,
  };
}

export const heartbeat = (playheadMs: number): Payload => ({
  case: "heartbeat",
  value: { playheadMs, rendition: "720p", bitrateBps: 2_000_000, bufferLengthMs: 5000, counters: { watchTimeMs: playheadMs, rebufferTimeMs: 0, playedBits: 0, droppedFrames: 0 } },
});
