import { intField } from "@kino/platform";

/** How the origin remembers which output of a video is current and who may play it (see playback-cache.ts). */
export const playbackConfigSchema = {
  playbackCacheTtlMs: intField("KINO_PLAYBACK_CACHE_TTL_MS", {
    description: "how long the origin reuses the catalog's answer about a READY video; a visibility change or deletion stops playback within it",
    default: 30_000,
    min: 0,
  }),
  playbackMaxStaleMs: intField("KINO_PLAYBACK_MAX_STALE_MS", {
    description: "how long past its lifetime a video's last READY answer is still served while the catalog fails or is slow",
    default: 600_000,
    min: 0,
  }),
  playbackCacheEntries: intField("KINO_PLAYBACK_CACHE_ENTRIES", {
    description: "most videos whose current output the origin remembers",
    default: 10_000,
    min: 1,
  }),
  originFileCacheBytes: intField("KINO_ORIGIN_FILE_CACHE_BYTES", {
    description: "memory the origin keeps copies of playlists, init segments, posters and storyboards in; 0 reads every one from storage",
    default: 64 * 1024 * 1024,
    min: 0,
  }),
  originSegmentCacheBytes: intField("KINO_ORIGIN_SEGMENT_CACHE_BYTES", {
    description: "memory the origin keeps copies of hot media segments in; 0 streams every segment from storage",
    default: 512 * 1024 * 1024,
    min: 0,
  }),
  originRevalidateMs: intField("KINO_ORIGIN_REVALIDATE_MS", {
    description: "how long a copy of a file that can change under its name (a master playlist being republished, a custom poster) is served before storage is asked again",
    default: 1_000,
    min: 0,
  }),
};
