/** One lock request: the worker that asked and its number for the request there. */
export interface LockOwner {
  worker: number;
  lock: number;
}

/** What the primary must tell workers after a change: who now holds a lock, who is asked to let go. */
export interface LockEffects {
  granted: LockOwner[];
  /** Holders another request is waiting behind (tus asks them to end their request). */
  askedToRelease: LockOwner[];
}

const same = (a: LockOwner, b: LockOwner) => a.worker === b.worker && a.lock === b.lock;
const ownerId = (owner: LockOwner) => `${owner.worker}:${owner.lock}`;

/**
 * The primary's table of upload locks across its workers: per key one
 * holder and a queue of waiters, first come first served. A worker that
 * dies loses its locks and its place in every queue, so a crash never
 * leaves an upload locked.
 */
export class LockTable {
  readonly #held = new Map<string, { holder: LockOwner; waiting: { owner: LockOwner; polite: boolean }[] }>();
  // Which key each holder or waiter is under, so a release finds its entry without a scan.
  readonly #keyOf = new Map<string, string>();

  /** Holds `key` for `owner`, or queues it; unless `polite`, a queued owner asks the holder to let go. */
  acquire(key: string, owner: LockOwner, polite = false): LockEffects {
    this.#keyOf.set(ownerId(owner), key);
    const entry = this.#held.get(key);
    if (!entry) {
      this.#held.set(key, { holder: owner, waiting: [] });
      return { granted: [owner], askedToRelease: [] };
    }
    entry.waiting.push({ owner, polite });
    return { granted: [], askedToRelease: polite ? [] : [entry.holder] };
  }

  /** The owner's lock is released, or its wait given up; the next waiter, if any, holds the key now. */
  release(owner: LockOwner): LockEffects {
    const key = this.#keyOf.get(ownerId(owner));
    const effects: LockEffects = { granted: [], askedToRelease: [] };
    if (key !== undefined) this.#remove(key, (o) => same(o, owner), effects);
    return effects;
  }

  /** Every lock and wait of a worker that exited. */
  dropWorker(worker: number): LockEffects {
    const effects: LockEffects = { granted: [], askedToRelease: [] };
    for (const key of [...this.#held.keys()]) this.#remove(key, (o) => o.worker === worker, effects);
    return effects;
  }

  #remove(key: string, gone: (owner: LockOwner) => boolean, effects: LockEffects): void {
    const entry = this.#held.get(key);
    if (!entry) return;
    for (const w of entry.waiting) if (gone(w.owner)) this.#keyOf.delete(ownerId(w.owner));
    entry.waiting = entry.waiting.filter((w) => !gone(w.owner));
    if (!gone(entry.holder)) return;
    this.#keyOf.delete(ownerId(entry.holder));
    const next = entry.waiting.shift();
    if (!next) {
      this.#held.delete(key);
      return;
    }
    entry.holder = next.owner;
    effects.granted.push(next.owner);
    // As with tus's MemoryLocker, whoever still waits asks the new holder to finish too.
    if (entry.waiting.some((w) => !w.polite)) effects.askedToRelease.push(next.owner);
  }
}
