import { toEventRow } from "@kino/analytics-collector";
import type { AnalyticsStore, EventRow } from "@kino/analytics-store";
import { heartbeatMs, rebufferMs, sdkViewEvents, type SdkViewPlan } from "@kino/testkit";

export { heartbeatMs, rebufferMs };

/** A view with when it started and where its viewer was. */
export interface ViewPlan extends SdkViewPlan {
  startMs: number;
  device: { deviceType: string; browserName: string; osName: string };
  country: string;
}

/** The rows the collector makes of views' events: its own validation and conversion, the device and country as given. */
export function collectorRows(plans: ViewPlan[]): EventRow[] {
  return plans.flatMap((plan) => sdkViewEvents(plan, plan.startMs).map((event) => {
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
