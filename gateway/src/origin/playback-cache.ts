export interface PlaybackCacheOptions {
  /** How long a READY video's answer (output id, visibility) is reused without asking; default 30 s. */
  positiveTtlMs?: number;
  /** How long "not playable" is reused; short, so a video that turns READY plays soon after. Default 2 s. */
  negativeTtlMs?: number;
  /**
   * How long past its TTL a READY answer is still served when the lookup
   * fails or is slow; default 10 min. Beyond it the video is as unknown.
   */
  maxStaleMs?: number;
  /** How long the request that starts a refresh of a stale answer waits for it before it is served the stale one; default 250 ms. */
  staleWaitMs?: number;
  /** Most videos remembered; the least recently used goes first. Default 10 000. */
  maxEntries?: number;
  /** Clock in milliseconds for ages; tests pass their own. */
  now?: () => number;
}

interface Entry<T> {
  answer: T | undefined;
  storedAt: number;
}

/**
 * Remembers answers of `resolve`, so a player fetching segments costs one
 * lookup per video and TTL rather than one per segment, and so a video that
 * played keeps playing while the lookup fails or is slow (stale-if-error,
 * stale-while-revalidate, bounded by maxStaleMs). Concurrent lookups of one
 * video share a single call. Failures are never remembered; "not playable"
 * (a deleted video) replaces a stale answer at once. A stale answer carries
 * the visibility it had: while the catalog cannot be asked, a video made
 * private meanwhile plays for its old tokens until maxStaleMs runs out.
 */
/** A cached lookup; `forget` drops one video's answer when this process itself changed what it would be. */
export type PlaybackLookup<T> = ((videoId: string) => Promise<T | undefined>) & { forget(videoId: string): void };

export function cachePlayback<T>(
  resolve: (videoId: string) => Promise<T | undefined>,
  options: PlaybackCacheOptions = {},
): PlaybackLookup<T> {
  const positiveTtlMs = options.positiveTtlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxStaleMs = options.maxStaleMs ?? 600_000;
  const staleWaitMs = options.staleWaitMs ?? 250;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<T>>();
  const inFlight = new Map<string, Promise<T | undefined>>();

  function remember(videoId: string, answer: T | undefined): void {
    entries.delete(videoId);
    entries.set(videoId, { answer, storedAt: now() });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  function lookUp(videoId: string): Promise<T | undefined> {
    const pending = inFlight.get(videoId);
    if (pending) return pending;
    const lookup: Promise<T | undefined> = resolve(videoId)
      .then((answer) => {
        // Not when forget() came in meanwhile: this answer may predate the change.
        if (inFlight.get(videoId) === lookup) remember(videoId, answer);
        return answer;
      })
      .finally(() => {
        if (inFlight.get(videoId) === lookup) inFlight.delete(videoId);
      });
    inFlight.set(videoId, lookup);
    return lookup;
  }

  /** The lookup's answer if it comes within staleWaitMs; otherwise, or if it fails, the stale one. The lookup goes on either way. */
  function answerOrStale(lookup: Promise<T | undefined>, stale: T): Promise<T | undefined> {
    return new Promise((settle) => {
      const timer = setTimeout(() => settle(stale), staleWaitMs);
      lookup.then(
        (answer) => settle(answer),
        () => settle(stale),
      ).finally(() => clearTimeout(timer));
    });
  }

  const cached = (videoId: string): Promise<T | undefined> => {
    const entry = entries.get(videoId);
    if (!entry) return lookUp(videoId);
    const age = now() - entry.storedAt;
    const fresh = age < (entry.answer === undefined ? negativeTtlMs : positiveTtlMs);
    const servable = fresh || (entry.answer !== undefined && age < positiveTtlMs + maxStaleMs);
    if (!servable) {
      entries.delete(videoId);
      return lookUp(videoId);
    }
    entries.delete(videoId);
    entries.set(videoId, entry);
    // While a refresh is under way, its starter waits for it; everyone else is answered at once.
    if (fresh || inFlight.has(videoId)) return Promise.resolve(entry.answer);
    return answerOrStale(lookUp(videoId), entry.answer!);
  };
  return Object.assign(cached, {
    forget(videoId: string): void {
      entries.delete(videoId);
      inFlight.delete(videoId);
    },
  });
}
