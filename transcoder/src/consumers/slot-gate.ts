/**
 * The pool's slots, shared by the consumers of one host: a consumer asks
 * for no more messages than are free, and wakes when one is released.
 */
export interface SlotGate {
  readonly free: number;
  take(): void;
  release(): void;
  /** Resolves at the next release. */
  released(): Promise<void>;
}

export function createSlotGate(slots: number): SlotGate {
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be a positive integer, not ${slots}`);
  let used = 0;
  let waiters: (() => void)[] = [];
  return {
    get free() {
      return slots - used;
    },
    take() {
      used++;
    },
    release() {
      used = Math.max(0, used - 1);
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    released: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}
