import { CaptionError } from "./caption-error.ts";
import type { Cue } from "./cue.ts";
import { CueBuilder } from "./cue-builder.ts";
import type { CueLimits } from "./cue-limits.ts";
import { formatTimestamp } from "./timestamps.ts";

const signature = /^\uFEFF?WEBVTT(?:[ \t].*)?$/;
const timing = /^(\S+)[ \t]+-->[ \t]+(\S+)(.*)$/;
const blank = /^\s*$/;
/** Settings that place a cue; anything else (a region we drop, junk) is left out. */
const setting = /^(?:vertical:(?:rl|lr)|line:-?\d+(?:\.\d+)?%?(?:,(?:start|center|end))?|position:\d+(?:\.\d+)?%(?:,(?:line-left|center|line-right))?|size:\d+(?:\.\d+)?%|align:(?:start|center|end|left|right))$/;

/** WebVTT: the signature, header lines, then NOTE/STYLE/REGION blocks and cues separated by blank lines. */
export function parseWebVtt(lines: readonly string[], limits: CueLimits): Cue[] {
  if (!signature.test(lines[0] ?? "")) throw new CaptionError(1, 'a WebVTT file must start with "WEBVTT"');
  const cues = new CueBuilder(limits, "mm:ss.ttt or hh:mm:ss.ttt");
  let i = 1;
  while (i < lines.length && !blank.test(lines[i]!)) i++;
  while (i < lines.length) {
    if (blank.test(lines[i]!)) {
      i++;
      continue;
    }
    const block = i;
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(lines[block]!)) {
      while (i < lines.length && !blank.test(lines[i]!)) i++;
      continue;
    }
    // An identifier line may come first; the timing line is this one or the next.
    if (!lines[i]!.includes("-->")) i++;
    const match = i < lines.length ? timing.exec(lines[i]!) : null;
    if (!match) throw new CaptionError(i < lines.length ? i + 1 : block + 1, "expected a timing line (start --> end)");
    const timingLine = i + 1;
    const start = cues.timestamp(match[1]!, timingLine);
    const end = cues.timestamp(match[2]!, timingLine);
    const settings = match[3]!.trim().split(/[ \t]+/).filter((s) => setting.test(s)).join(" ");
    i++;
    const text: string[] = [];
    while (i < lines.length && !blank.test(lines[i]!)) {
      if (lines[i]!.includes("-->")) throw new CaptionError(i + 1, 'cue text may not contain "-->" (is a blank line missing before this cue?)');
      text.push(lines[i++]!);
    }
    cues.add(start, end, settings, text, timingLine);
  }
  return cues.sorted();
}

/** The one form Kino stores and serves, whatever was uploaded. */
export function formatWebVtt(cues: readonly Cue[]): string {
  let out = "WEBVTT\n";
  for (const cue of cues) {
    out += `\n${formatTimestamp(cue.startMs)} --> ${formatTimestamp(cue.endMs)}${cue.settings ? ` ${cue.settings}` : ""}\n${cue.text}\n`;
  }
  return out;
}
