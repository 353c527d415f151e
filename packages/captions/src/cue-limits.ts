/** Bounds on one caption file, so a hostile upload cannot make parsing or serving expensive. */
export interface CueLimits {
  maxBytes: number;
  maxCues: number;
  /** Characters of one cue's text, markup included. */
  maxCueChars: number;
}

export const defaultCueLimits: CueLimits = { maxBytes: 2 * 1024 * 1024, maxCues: 20_000, maxCueChars: 1000 };
