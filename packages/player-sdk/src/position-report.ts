import type { Payload } from "./beacon-payload.ts";

/** Told where the viewer is: at every heartbeat, and once more when the view ends. */
export type PositionListener = (playheadMs: number) => void;

/**
 * Passes the playhead of heartbeats and view ends to `listener`, for an app
 * that saves resume positions (EngagementService.SetPlaybackPosition). A
 * listener that throws is the app's bug: it must never stop the beacons.
 */
export function reportPosition(payload: Payload, listener: PositionListener | undefined): void {
  if (!listener || (payload.case !== "heartbeat" && payload.case !== "viewEnd")) return;
  try {
    listener(payload.value.playheadMs);
  } catch (error) {
    console.warn("kino player SDK: onPosition threw", error);
  }
}
