import { defaultBackoff, type BackoffPolicy } from "./backoff.ts";
import { createDelivery, type DeliveryStats } from "./delivery.ts";
import { EventQueue } from "./event-queue.ts";
import { createEventStamper } from "./event-stamp.ts";
import type { HlsLike, MediaLike } from "./media-like.ts";
import { randomId } from "./random-id.ts";
import { sdkVersion } from "./sdk-version.ts";
import { createTransport } from "./transport.ts";
import { reportPosition, type PositionListener } from "./position-report.ts";
import { persistentViewerId } from "./viewer-id.ts";
import { trackView } from "./view-state.ts";

export interface KinoAnalyticsOptions {
  /** The collector's base URL, e.g. "https://beacons.example.com". */
  collectorUrl: string;
  videoId: string;
  /** Anonymous viewer id; by default one generated and kept in localStorage. */
  viewerId?: string;
  /** Reported as sdk_name; "kino-web" by default. */
  sdkName?: string;
  playerName?: string;
  playerVersion?: string;
  /** The hls.js instance playing into the element, for renditions, bitrates and fatal errors. */
  hls?: HlsLike;
  heartbeatMs?: number;
  /**
   * Called with the playhead (ms) at every heartbeat and when the view
   * ends: wire it to EngagementService.SetPlaybackPosition to save where a
   * signed-in viewer stopped. Beacons go on whatever it does.
   */
  onPosition?: PositionListener;
  /** Most events per request. */
  batchMaxEvents?: number;
  /** How often queued events are sent. */
  flushIntervalMs?: number;
  /** Most events held while the collector cannot be reached; past it, the oldest heartbeats are dropped. */
  maxQueueEvents?: number;
  backoff?: BackoffPolicy;
}

export interface KinoAnalytics {
  readonly viewId: string;
  /** Sends what is queued now; resolves when it is delivered, or when the collector failed and a retry is scheduled. */
  flush(): Promise<void>;
  /** Ends the view (view_end) and stops listening; what is queued is still delivered. */
  detach(): void;
  stats(): DeliveryStats;
}

// Chromium refuses keepalive bodies past 64 KiB in flight per page.
const batchMaxBytes = 60 * 1024;

/** Starts reporting the playback of one video element (one view) to a Kino analytics collector. */
export function attachKinoAnalytics(video: MediaLike, options: KinoAnalyticsOptions): KinoAnalytics {
  const viewId = randomId();
  const queue = new EventQueue(options.maxQueueEvents ?? 1000);
  const transport = createTransport({
    endpoint: new URL("/v1/events", options.collectorUrl).href,
    fetch: (input, init) => globalThis.fetch(input, init),
    sendBeacon: typeof navigator !== "undefined" && navigator.sendBeacon ? (url, data) => navigator.sendBeacon(url, data) : undefined,
    now: Date.now,
  });
  const delivery = createDelivery({
    queue,
    transport,
    backoff: options.backoff ?? defaultBackoff,
    batchMaxEvents: options.batchMaxEvents ?? 50,
    batchMaxBytes,
    flushIntervalMs: options.flushIntervalMs ?? 5000,
  });
  const stamp = createEventStamper({
    viewId,
    viewerId: options.viewerId ?? persistentViewerId(),
    videoId: options.videoId,
    sdkName: options.sdkName ?? "kino-web",
    sdkVersion,
  });
  const tracker = trackView({
    media: video,
    hls: options.hls,
    now: () => performance.now(),
    playerName: options.playerName ?? "",
    playerVersion: options.playerVersion ?? "",
    emit: (payload) => {
      queue.push(stamp(payload));
      delivery.notifyQueued();
      reportPosition(payload, options.onPosition);
    },
  });
  const heartbeat = setInterval(() => tracker.heartbeat(), options.heartbeatMs ?? 10_000);

  const stop = () => {
    clearInterval(heartbeat);
    removeEventListener("pagehide", onPageHide);
    document.removeEventListener("visibilitychange", onVisibilityChange);
    tracker.end();
    delivery.close();
  };
  // The page may never run code again: end the view and hand everything to sendBeacon.
  const onPageHide = () => {
    stop();
    delivery.flushWithBeacon();
  };
  // Mobile browsers often kill hidden pages without a pagehide: send what is queued while we still can.
  const onVisibilityChange = () => {
    if (document.visibilityState === "hidden") delivery.flushWithBeacon();
  };
  addEventListener("pagehide", onPageHide);
  document.addEventListener("visibilitychange", onVisibilityChange);

  return {
    viewId,
    flush: () => delivery.flush(),
    detach() {
      stop();
      void delivery.flush();
    },
    stats: () => delivery.stats(),
  };
}
