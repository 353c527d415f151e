import type { ObjectInfo } from "@kino/storage";
import { ByteLru } from "./byte-lru.ts";

/** One stored file, whole, as the origin serves it. */
export interface CachedFile {
  info: ObjectInfo;
  bytes: Buffer;
  /** The headers of its last whole answer, reused while the Cache-Control they were made for holds (a public video's never changes). */
  wholeAnswer?: { cacheControl: string; headers: Readonly<Record<string, string>> };
}

export interface OriginFileCacheOptions {
  /** Budget for playlists, init segments, posters, storyboards and other small files; 0 keeps none. */
  fileBytes: number;
  /** Budget for media segments (.m4s, .ts); 0 keeps none, so every segment streams from storage. */
  segmentBytes: number;
  /**
   * How long a copy of a file that can change under its name (an output's
   * master playlist and MPD, republished as rungs land; a custom poster,
   * deleted when replaced) is served before storage is asked whether it is
   * still the same (a HEAD, not a read). Everything else in an output is
   * written once and never changes, so its copy is served until evicted.
   */
  revalidateMs: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

/** Where a file of an output goes, and whether its copy must be checked now and then. */
export interface CacheSlot {
  key: string;
  segment: boolean;
  revisable: boolean;
}

/** A file under `media/<video>/<output>/` by its path there: which budget it weighs on and whether it can change. */
export function cacheSlotOf(key: string, file: readonly string[]): CacheSlot {
  const name = file[file.length - 1]!;
  const segment = name.endsWith(".m4s") || name.endsWith(".ts");
  const revisable = file[0] === "posters" || (file.length === 1 && (name === "master.m3u8" || name === "manifest.mpd"));
  return { key, segment, revisable };
}

// No single file takes more than this share of its budget (a 16 MB segment in a 64 MB budget would churn it).
const MAX_ENTRY_SHARE = 8;
// Above any segment Kino writes (6 s at the top rung's bitrate); larger files stream from storage.
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

interface Entry extends CachedFile {
  checkedAt: number;
}

export interface OriginFileCache {
  /** The copy, if any; `revalidate` when it is a revisable file's copy whose time is up (ask storage, then `confirm` or `forget`). */
  lookup(slot: CacheSlot): { file: CachedFile; revalidate: boolean } | undefined;
  /** Whether a file of this size would be kept: only then is it worth collecting while it streams. */
  admits(slot: CacheSlot, size: number): boolean;
  store(slot: CacheSlot, file: CachedFile): void;
  /** Storage still has the same bytes (same ETag): serve the copy for another revalidateMs. */
  confirm(slot: CacheSlot): void;
  forget(key: string): void;
  /** Bytes held in each budget (the tests hold the budgets to it). */
  usage(): { fileBytes: number; segmentBytes: number; entries: number };
}

/**
 * An in-memory copy of the origin's hot files in two byte budgets, so that a
 * playlist, an init segment or a poster costs no storage call, and a hot
 * segment is sent from memory as nginx would from the page cache. Copies
 * are whole files, filled while the first full GET streams through; ranges,
 * ETags and conditionals are answered from the copy exactly as from storage.
 */
export function createOriginFileCache(options: OriginFileCacheOptions): OriginFileCache {
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(options.revalidateMs) || options.revalidateMs < 0) {
    throw new RangeError(`revalidateMs must be a whole number of milliseconds >= 0, got ${options.revalidateMs}`);
  }
  const lruOf = (budget: number, name: string) => {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`${name} must be a whole number of bytes >= 0, got ${budget}`);
    return new ByteLru<Entry>(budget, Math.min(MAX_ENTRY_BYTES, Math.floor(budget / MAX_ENTRY_SHARE)));
  };
  const files = lruOf(options.fileBytes, "fileBytes");
  const segments = lruOf(options.segmentBytes, "segmentBytes");
  const lru = (slot: CacheSlot) => (slot.segment ? segments : files);

  return {
    lookup(slot) {
      const entry = lru(slot).get(slot.key);
      if (!entry) return undefined;
      return { file: entry, revalidate: slot.revisable && now() - entry.checkedAt >= options.revalidateMs };
    },
    admits: (slot, size) => lru(slot).admits(size),
    store(slot, file) {
      lru(slot).set(slot.key, { ...file, checkedAt: now() }, file.bytes.length);
    },
    confirm(slot) {
      const entry = lru(slot).get(slot.key);
      if (entry) entry.checkedAt = now();
    },
    forget(key) {
      files.delete(key);
      segments.delete(key);
    },
    usage: () => ({ fileBytes: files.bytes, segmentBytes: segments.bytes, entries: files.size + segments.size }),
  };
}
