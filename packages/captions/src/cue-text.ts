import { parseTimestamp } from "./timestamps.ts";

/**
 * Cue text is re-written, never passed through: players render it into the
 * page, so only WebVTT's own markup survives. Other tags (SRT's `<font>`,
 * HTML) lose their brackets and keep their words; ASS override blocks such
 * as `{\an8}`, common in SRT files cut from fansubs, are dropped.
 */
const allowedTags = new Set(["b", "i", "u", "c", "v", "lang", "ruby", "rt"]);
/** The tags whose annotation (a speaker, a language) is text, not markup. */
const annotatedTags = new Set(["v", "lang"]);
const entities = /^&(?:amp|lt|gt|nbsp|lrm|rlm);/;
const tag = /^<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\.[A-Za-z0-9_-]+)*)(?:[ \t]+([^>]*))?>/;
const timestampTag = /^<([0-9:.]+)>/;
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

export function sanitiseCueLine(line: string): string {
  const source = line.replace(controlCharacters, "").replace(/\{\\[^}]*\}/g, "");
  let out = "";
  for (let i = 0; i < source.length; ) {
    const rest = source.slice(i);
    const ch = source[i]!;
    if (ch === "<") {
      const stamp = timestampTag.exec(rest);
      if (stamp && parseTimestamp(stamp[1]!) !== undefined) {
        out += stamp[0];
        i += stamp[0].length;
        continue;
      }
      const match = tag.exec(rest);
      if (match) {
        const [whole, close, rawName, classes, annotation] = match;
        const name = rawName!.toLowerCase();
        if (allowedTags.has(name)) {
          out += close ? `</${name}>` : `<${name}${classes}${annotatedTags.has(name) && annotation ? ` ${escapeText(annotation.trim())}` : ""}>`;
        }
        i += whole.length;
        continue;
      }
      out += "&lt;";
      i++;
      continue;
    }
    if (ch === "&") {
      const entity = entities.exec(rest);
      out += entity ? entity[0] : "&amp;";
      i += entity ? entity[0].length : 1;
      continue;
    }
    if (ch === ">") {
      out += "&gt;";
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  return out.trim();
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The words of a cue, without markup: what search indexes. */
export function cuePlainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&lrm;|&rlm;/g, "")
    .replace(/&amp;/g, "&");
}
