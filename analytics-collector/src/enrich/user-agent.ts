import { UAParser } from "ua-parser-js";

export interface ClientDevice {
  /** "desktop", "mobile", "tablet", "smarttv", "console", …; "" without a User-Agent. */
  deviceType: string;
  osName: string;
  osVersion: string;
  browserName: string;
  browserVersion: string;
}

const unknownDevice: ClientDevice = { deviceType: "", osName: "", osVersion: "", browserName: "", browserVersion: "" };

/** ua-parser-js reads at most this much; longer strings only cost memory in the cache. */
const maxUserAgentLength = 500;

/**
 * Parses User-Agent strings, remembering recent ones: a parse costs tens of
 * microseconds and a collector sees the same few thousand strings all day.
 */
export function createUserAgentParser(options: { cacheSize?: number } = {}): (userAgent: string) => ClientDevice {
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, ClientDevice>();
  return (raw) => {
    if (!raw) return unknownDevice;
    const userAgent = raw.length > maxUserAgentLength ? raw.slice(0, maxUserAgentLength) : raw;
    const hit = cache.get(userAgent);
    if (hit) return hit;
    const result = UAParser(userAgent);
    const device: ClientDevice = {
      // ua-parser-js leaves the type unset for desktop browsers.
      deviceType: result.device.type ?? "desktop",
      osName: result.os.name ?? "",
      osVersion: result.os.version ?? "",
      browserName: result.browser.name ?? "",
      browserVersion: result.browser.version ?? "",
    };
    if (cache.size >= cacheSize) cache.clear();
    cache.set(userAgent, device);
    return device;
  };
}
