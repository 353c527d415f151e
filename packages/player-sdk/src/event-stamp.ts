import type { BeaconEvent, Payload } from "./beacon-payload.ts";
import { randomId } from "./random-id.ts";

export interface ViewIdentity {
  viewId: string;
  viewerId: string;
  videoId: string;
  sdkName: string;
  sdkVersion: string;
}

export type EventStamper = (payload: Payload) => BeaconEvent;

/** Gives each payload of one view its event id, client time and the next sequence number (from 0, no gaps). */
export function createEventStamper(identity: ViewIdentity, now: () => number = Date.now, newId: () => string = randomId): EventStamper {
  let sequence = 0;
  return (payload) => ({ ...identity, eventId: newId(), clientTimeMs: now(), sequence: sequence++, payload });
}
