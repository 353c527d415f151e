import type { KinoAnalytics, KinoAnalyticsOptions, MediaLike } from "../../src/index.ts";

/** What the test pages define on window: the SDK bundle's global and the tests' own handles. */
declare global {
  const KinoAnalytics: { attach(video: MediaLike, options: KinoAnalyticsOptions): KinoAnalytics };
  const Hls: typeof import("hls.js").default;
  interface Window {
    kino: KinoAnalytics;
    seen: string[];
  }
}
