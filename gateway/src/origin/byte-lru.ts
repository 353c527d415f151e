/**
 * A least-recently-used map bounded by the bytes its values hold, not by
 * their count: one 4 MB segment weighs what a thousand 4 KB playlists do.
 * A value heavier than `maxEntryBytes` is never kept, so one huge file
 * cannot flush everything else.
 */
export class ByteLru<V> {
  readonly budgetBytes: number;
  readonly maxEntryBytes: number;
  #bytes = 0;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, { value: V; size: number }>();

  constructor(budgetBytes: number, maxEntryBytes: number) {
    if (!Number.isSafeInteger(budgetBytes) || budgetBytes < 0) throw new RangeError(`budgetBytes must be a whole number of bytes >= 0, got ${budgetBytes}`);
    if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 0) throw new RangeError(`maxEntryBytes must be a whole number of bytes >= 0, got ${maxEntryBytes}`);
    this.budgetBytes = budgetBytes;
    this.maxEntryBytes = Math.min(maxEntryBytes, budgetBytes);
  }

  /** Bytes held now; never above budgetBytes. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether a value of this many bytes would be kept at all. */
  admits(size: number): boolean {
    return size <= this.maxEntryBytes;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps the value (replacing any under the key) and evicts the least recently used until the budget holds; false when it is too big to keep. */
  set(key: string, value: V, size: number): boolean {
    this.delete(key);
    if (!this.admits(size)) return false;
    this.#entries.set(key, { value, size });
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.size;
    }
    return true;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}
