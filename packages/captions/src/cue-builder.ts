import { CaptionError } from "./caption-error.ts";
import type { Cue } from "./cue.ts";
import type { CueLimits } from "./cue-limits.ts";
import { sanitiseCueLine } from "./cue-text.ts";
import { parseTimestamp } from "./timestamps.ts";

/** Collects cues for both readers, applying the same timing and size rules. */
export class CueBuilder {
  readonly cues: Cue[] = [];

  constructor(
    private readonly limits: CueLimits,
    private readonly expected: string,
  ) {}

  timestamp(text: string, line: number): number {
    const ms = parseTimestamp(text);
    if (ms === undefined) throw new CaptionError(line, `malformed timestamp "${text.slice(0, 40)}" (expected ${this.expected})`);
    return ms;
  }

  add(start: number, end: number, settings: string, lines: string[], timingLine: number): void {
    if (end <= start) throw new CaptionError(timingLine, "the cue ends before it starts");
    const text = lines.map(sanitiseCueLine).filter((l) => l.length > 0).join("\n");
    // A cue whose text is empty after sanitising shows nothing: dropped, not refused.
    if (text.length === 0) return;
    if (text.length > this.limits.maxCueChars) throw new CaptionError(timingLine, `the cue's text is longer than ${this.limits.maxCueChars} characters`);
    if (this.cues.length >= this.limits.maxCues) throw new CaptionError(timingLine, `more than ${this.limits.maxCues} cues`);
    this.cues.push({ startMs: start, endMs: end, text, ...(settings ? { settings } : {}) });
  }

  sorted(): Cue[] {
    // Stable: cues that start together keep the file's order.
    return [...this.cues].sort((a, b) => a.startMs - b.startMs);
  }
}
