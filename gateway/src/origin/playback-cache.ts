import type { PlaybackResolver } from "./origin-route.ts";

export interface PlaybackCacheOptions {
  /** How long a READY video's output id is reused; default 30 s. */
  positiveTtlMs?: number;
  /** How long "not playable" is reused; short, so a video that turns READY plays soon after. Default 2 s. */
  negativeTtlMs?: number;
  /** Most videos remembered; the least recently stored goes first. Default 10 000. */
  maxEntries?: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

interface Entry {
  outputId: string | undefined;
  expiresAt: number;
}

/**
 * Remembers answers of `resolve` for a while, so a player fetching segments
 * costs the catalog one call per video and TTL rather than one per segment;
 * concurrent lookups of one video share a single call. Failures are never
 * remembered.
 */
export function cachePlayback(resolve: PlaybackResolver, options: PlaybackCacheOptions = {}): PlaybackResolver {
  const positiveTtlMs = options.positiveTtlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<string | undefined>>();

  function remember(videoId: string, outputId: string | undefined): void {
    entries.delete(videoId);
    entries.set(videoId, { outputId, expiresAt: now() + (outputId === undefined ? negativeTtlMs : positiveTtlMs) });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  return (videoId) => {
    const entry = entries.get(videoId);
    if (entry && entry.expiresAt > now()) return Promise.resolve(entry.outputId);
    const pending = inFlight.get(videoId);
    if (pending) return pending;
    const lookup = resolve(videoId)
      .then((outputId) => {
        remember(videoId, outputId);
        return outputId;
      })
      .finally(() => inFlight.delete(videoId));
    inFlight.set(videoId, lookup);
    return lookup;
  };
}
