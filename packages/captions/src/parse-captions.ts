import { CaptionError } from "./caption-error.ts";
import type { Cue } from "./cue.ts";
import { defaultCueLimits, type CueLimits } from "./cue-limits.ts";
import { cuePlainText } from "./cue-text.ts";
import { decodeCaptionText, splitLines } from "./decode-text.ts";
import { parseSrt } from "./srt.ts";
import { formatWebVtt, parseWebVtt } from "./webvtt.ts";

export type CaptionFormat = "webvtt" | "srt";

export interface ParsedCaptions {
  /** What the upload was, told by its content (never by its name). */
  format: CaptionFormat;
  cues: Cue[];
  /** The file to store and serve: WebVTT, re-written from the cues. */
  webVtt: string;
}

/** Reads an uploaded WebVTT or SubRip file; refuses it with the line that is wrong. */
export function parseCaptions(bytes: Uint8Array, limits: CueLimits = defaultCueLimits): ParsedCaptions {
  if (bytes.length > limits.maxBytes) throw new CaptionError(0, `larger than ${limits.maxBytes} bytes`);
  const lines = splitLines(decodeCaptionText(bytes));
  const format: CaptionFormat = /^\uFEFF?WEBVTT/.test(lines[0] ?? "") ? "webvtt" : "srt";
  if (format === "srt" && lines[0]?.startsWith("\uFEFF")) lines[0] = lines[0].slice(1);
  const cues = format === "webvtt" ? parseWebVtt(lines, limits) : parseSrt(lines, limits);
  if (cues.length === 0) throw new CaptionError(0, "no cues with text");
  return { format, cues, webVtt: formatWebVtt(cues) };
}

/** Every cue's words, in order, at most `maxChars`: the caption text search indexes. */
export function captionPlainText(cues: readonly Cue[], maxChars = 200_000): string {
  let out = "";
  for (const cue of cues) {
    const words = cuePlainText(cue.text).replace(/\s+/g, " ").trim();
    if (!words) continue;
    if (out.length + words.length + 1 > maxChars) break;
    out += out ? ` ${words}` : words;
  }
  return out;
}
