import { randomUUID } from "node:crypto";
import { create, toBinary, toJson } from "@bufbuild/protobuf";
import { heartbeatMs, sdkViewEvents, sdkViewSpanMs, type SdkViewPlan } from "@kino/testkit";
import { EventBatchSchema, EventSchema, type Event } from "@kino/proto/analytics/v1";

export type ViewPlan = SdkViewPlan;

export interface ExpectedTotals {
  views: number;
  uniqueViewers: number;
  watchTimeMs: number;
  rebufferCount: number;
  exitsBeforeStart: number;
  events: number;
}

/** The events of one view, ending a minute ago: well inside the collector's clock window. */
export function sdkView(plan: ViewPlan, endMs = Date.now() - 60_000): Event[] {
  return sdkViewEvents(plan, endMs - sdkViewSpanMs(plan));
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
