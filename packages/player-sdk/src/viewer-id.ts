import { randomId } from "./random-id.ts";

const storageKey = "kino-analytics:viewer-id";

/**
 * The anonymous viewer id kept across views in localStorage; a fresh one per
 * page when storage is unavailable (disabled, private mode, sandboxed frame).
 */
export function persistentViewerId(storage: () => Storage | undefined = () => globalThis.localStorage): string {
  try {
    const store = storage();
    const known = store?.getItem(storageKey);
    if (known) return known;
    const id = randomId();
    store?.setItem(storageKey, id);
    return id;
  } catch {
    return randomId();
  }
}
