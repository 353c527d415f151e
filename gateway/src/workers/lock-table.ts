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

/**
 * The primary's table of upload locks across its workers: per key one
 * holder and a queue of waiters, first come first served. A worker that
 * dies loses its locks and its place in every queue, so a crash never
 * leaves an upload locked.
 */
export class LockTable {
  readonly #held = new Map<string, { holder: LockOwner; waiting: { owner: LockOwner; polite: boolean }[] }>();

  /** Holds `key` for `owner`, or queues it; unless `polite`, a queued owner asks the holder to let go. */
  acquire(key: string, owner: LockOwner, polite = false): LockEffects {
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
    return this.#remove((o) => same(o, owner));
  }

  /** Every lock and wait of a worker that exited. */
  dropWorker(worker: number): LockEffects {
    return this.#remove((o) => o.worker === worker);
  }

  #remove(gone: (owner: LockOwner) => boolean): LockEffects {
    const effects: LockEffects = { granted: [], askedToRelease: [] };
    for (const [key, entry] of this.#held) {
      entry.waiting = entry.waiting.filter((w) => !gone(w.owner));
      if (!gone(entry.holder)) continue;
      const next = entry.waiting.shift();
      if (!next) {
        this.#held.delete(key);
        continue;
      }
      entry.holder = next.owner;
      effects.granted.push(next.owner);
      // As with tus's MemoryLocker, whoever still waits asks the new holder to finish too.
      if (entry.waiting.some((w) => !w.polite)) effects.askedToRelease.push(next.owner);
    }
    return effects;
  }

  /** Keys held now. */
  get size(): number {
    return this.#held.size;
  }
}
