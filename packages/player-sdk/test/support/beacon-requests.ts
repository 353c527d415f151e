import type { BrowserContext } from "playwright-core";

export interface SentEvent {
  eventId: string;
  viewId: string;
  sequence: string;
  [payload: string]: unknown;
}

export interface SentRequest {
  /** "fetch" for fetch(keepalive), "ping" for navigator.sendBeacon. */
  resourceType: string;
  events: SentEvent[];
  /** When the browser sent it (ms since the epoch). */
  sentAt: number;
  /** The collector's status, or the browser's failure text; unset while in flight. */
  outcome?: number | string;
}

/** Every batch the context's pages sent to the collector, as the browser sent it (failed attempts included). */
export function recordBeacons(context: BrowserContext, collectorOrigin: string): SentRequest[] {
  const sent: SentRequest[] = [];
  context.on("request", (request) => {
    if (request.method() !== "POST" || !request.url().startsWith(`${collectorOrigin}/v1/events`)) return;
    const body = request.postData();
    if (!body) return;
    const entry: SentRequest = { resourceType: request.resourceType(), events: JSON.parse(body).events, sentAt: Date.now() };
    sent.push(entry);
    request.response().then(
      (response) => (entry.outcome = response?.status() ?? request.failure()?.errorText ?? "no response"),
      (error: unknown) => (entry.outcome = String(error)),
    );
  });
  return sent;
}

/** Each request's outcome and event types, for a failure message that shows what the browser saw. */
export function describeRequests(requests: SentRequest[]): string {
  return requests.map((r) => `${r.outcome ?? "in flight"}: ${r.events.map((e) => `${e.sequence}:${payloadCase(e)}`).join(" ")}`).join("\n");
}

/** The distinct events among the requests, first sending wins. */
export function distinctEvents(requests: SentRequest[]): SentEvent[] {
  const byId = new Map<string, SentEvent>();
  for (const event of requests.flatMap((r) => r.events)) if (!byId.has(event.eventId)) byId.set(event.eventId, event);
  return [...byId.values()];
}

/** The one payload field an event carries: its type in camelCase. */
export function payloadCase(event: SentEvent): string {
  const common = new Set(["eventId", "viewId", "viewerId", "videoId", "sdkName", "sdkVersion", "clientTime", "sequence"]);
  const [name] = Object.keys(event).filter((key) => !common.has(key));
  return name ?? "";
}

/** camelCase payload name → the store's event_type. */
export function storedType(payload: string): string {
  return payload.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
