import type { ClientDevice } from "../enrich/user-agent.ts";
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

/*
 * The enrichment columns depend only on the device and country, and the
 * device objects come from the User-Agent cache, so the same few pairs
 * recur all day: their JSON is remembered per device object (and dropped
 * with it when that cache lets it go).
 */
const columnsByDevice = new WeakMap<ClientDevice, Map<string, string>>();
const maxCountriesPerDevice = 300;

function requestColumns(device: ClientDevice, country: string): string {
  let byCountry = columnsByDevice.get(device);
  if (!byCountry) {
    byCountry = new Map();
    columnsByDevice.set(device, byCountry);
  }
  let columns = byCountry.get(country);
  if (columns === undefined) {
    columns =
      `,"device_type":${JSON.stringify(device.deviceType)},"os_name":${JSON.stringify(device.osName)},"os_version":${JSON.stringify(device.osVersion)},` +
      `"browser_name":${JSON.stringify(device.browserName)},"browser_version":${JSON.stringify(device.browserVersion)},"country":${JSON.stringify(country)}`;
    if (byCountry.size >= maxCountriesPerDevice) byCountry.clear();
    byCountry.set(country, columns);
  }
  return columns;
}

export function batchRowContext(context: RequestContext, window: ClockWindow): BatchRowContext {
  return {
    receivedAtSeconds: Math.floor(context.receivedAtMs / 1000),
    earliestMs: context.receivedAtMs - window.pastMs,
    latestMs: context.receivedAtMs + window.futureMs,
    requestColumns: requestColumns(context.device, context.country),
  };
}
