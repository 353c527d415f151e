import type { BeaconEvent, PayloadCase } from "./beacon-payload.ts";
import { eventJson } from "./wire-json.ts";

/** An event encoded once when queued, so a retry resends the same bytes. */
export interface QueuedEvent {
  readonly kind: PayloadCase;
  readonly json: string;
  readonly bytes: number;
}

const utf8 = new TextEncoder();

/**
 * Events waiting for delivery, oldest first, at most maxEvents of them. When
 * full, the oldest heartbeat goes first (its counters are repeated by every
 * later heartbeat and by view_end); only a queue without heartbeats loses its
 * oldest event. Every loss is counted.
 */
export class EventQueue {
  private events: QueuedEvent[] = [];
  private droppedCount = 0;

  constructor(private readonly maxEvents: number) {
    if (!(maxEvents >= 1)) throw new RangeError(`maxQueueEvents must be at least 1, got ${maxEvents}`);
  }

  get size(): number {
    return this.events.length;
  }

  /** Events lost to the bound or refused by the collector. */
  get dropped(): number {
    return this.droppedCount;
  }

  push(event: BeaconEvent): void {
    const json = JSON.stringify(eventJson(event));
    if (this.events.length >= this.maxEvents) {
      const heartbeat = this.events.findIndex((e) => e.kind === "heartbeat");
      this.events.splice(heartbeat >= 0 ? heartbeat : 0, 1);
      this.droppedCount++;
    }
    this.events.push({ kind: event.payload.case, json, bytes: utf8.encode(json).byteLength });
  }

  /** The oldest events that fit in one batch: at most maxEvents, their JSON at most maxBytes (always at least one). */
  peekBatch(maxEvents: number, maxBytes: number): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (const event of this.events) {
      if (batch.length >= maxEvents || (batch.length > 0 && bytes + event.bytes + 1 > maxBytes)) break;
      batch.push(event);
      bytes += event.bytes + 1;
    }
    return batch;
  }

  /** Takes delivered events out; events the bound already dropped are ignored. */
  remove(delivered: readonly QueuedEvent[]): void {
    const gone = new Set(delivered);
    this.events = this.events.filter((e) => !gone.has(e));
  }

  /** Takes events the collector refused out, counting them as dropped. */
  discard(refused: readonly QueuedEvent[]): void {
    const before = this.events.length;
    this.remove(refused);
    this.droppedCount += before - this.events.length;
  }
}
