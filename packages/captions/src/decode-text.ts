import { CaptionError } from "./caption-error.ts";

/**
 * Caption files arrive as UTF-8 (with or without a BOM) or, from Windows
 * subtitle editors, UTF-16 with a BOM. Anything else (a legacy code page,
 * a binary renamed .srt) is refused rather than shown as mojibake.
 */
export function decodeCaptionText(bytes: Uint8Array): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CaptionError(0, "not UTF-8 (or UTF-16 with a byte order mark) text");
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw new CaptionError(lineOf(text, nul), "contains a NUL byte: not a text file");
  return text;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n|\r|\n/).length;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
