import type { ClockWindow, RequestContext } from "./event-row.ts";

/** What every row of one request shares, worked out once per batch rather than per event. */
export interface BatchRowContext {
  receivedAtSeconds: number;
  /** Client times are clamped into [earliestMs, latestMs]. */
  earliestMs: number;
  latestMs: number;
  /** `,"device_type":…,"country":…`: the request's enrichment columns, JSON-encoded, without the closing brace. */
  requestColumns: string;
}

export function batchRowContext(context: RequestContext, window: ClockWindow): BatchRowContext {
  const { device, country } = context;
  return {
    receivedAtSeconds: Math.floor(context.receivedAtMs / 1000),
    earliestMs: context.receivedAtMs - window.pastMs,
    latestMs: context.receivedAtMs + window.futureMs,
    requestColumns:
      `,"device_type":${JSON.stringify(device.deviceType)},"os_name":${JSON.stringify(device.osName)},"os_version":${JSON.stringify(device.osVersion)},` +
      `"browser_name":${JSON.stringify(device.browserName)},"browser_version":${JSON.stringify(device.browserVersion)},"country":${JSON.stringify(country)}`,
  };
}
