import { intField } from "@kino/platform";

/** How the origin remembers which output of a video is current (see playback-cache.ts). */
export const playbackConfigSchema = {
  playbackMaxStaleMs: intField("KINO_PLAYBACK_MAX_STALE_MS", {
    description: "how long past its 30 s lifetime a video's last READY answer is still served while the catalog fails or is slow",
    default: 600_000,
    min: 0,
  }),
  playbackCacheEntries: intField("KINO_PLAYBACK_CACHE_ENTRIES", {
    description: "most videos whose current output the origin remembers",
    default: 10_000,
    min: 1,
  }),
};
