import { CaptionError } from "./caption-error.ts";
import type { Cue } from "./cue.ts";
import { CueBuilder } from "./cue-builder.ts";
import type { CueLimits } from "./cue-limits.ts";

/** `start --> end`, optionally followed by SubRip's X1:… Y2:… box, which players ignore. */
const timing = /^\s*(\S+)\s*-->\s*(\S+)(?:\s+.*)?$/;
const cueNumber = /^\s*\d+\s*$/;
const blank = /^\s*$/;

/**
 * SubRip: blocks of a cue number, a timing line and text, separated by blank
 * lines. Real files drop the number or the blank line between cues; both are
 * accepted, a text line that could be neither is refused with its number.
 */
export function parseSrt(lines: readonly string[], limits: CueLimits): Cue[] {
  const cues = new CueBuilder(limits, "hh:mm:ss,mmm");
  let i = 0;
  while (i < lines.length) {
    if (blank.test(lines[i]!)) {
      i++;
      continue;
    }
    if (cueNumber.test(lines[i]!) && i + 1 < lines.length && timing.test(lines[i + 1]!)) i++;
    const match = timing.exec(lines[i]!);
    if (!match) {
      throw new CaptionError(i + 1, cueNumber.test(lines[i]!) ? "a cue number must be followed by a timing line (start --> end)" : "expected a cue number or a timing line (start --> end)");
    }
    const timingLine = i + 1;
    const start = cues.timestamp(match[1]!, timingLine);
    const end = cues.timestamp(match[2]!, timingLine);
    i++;
    const text: string[] = [];
    while (i < lines.length && !blank.test(lines[i]!) && !startsNextCue(lines, i)) text.push(lines[i++]!);
    cues.add(start, end, "", text, timingLine);
  }
  return cues.sorted();
}

/** A cue number directly followed by a timing line: the blank line before it was left out. */
function startsNextCue(lines: readonly string[], i: number): boolean {
  return timing.test(lines[i]!) || (cueNumber.test(lines[i]!) && i + 1 < lines.length && timing.test(lines[i + 1]!));
}
