import { KinoError } from "./errors.ts";

/**
 * Rules for text people type (titles, descriptions, comments...). Control
 * characters corrupt listings, terminals and logs (ANSI escapes), and
 * PostgreSQL refuses NUL outright; line text refuses all of them, block text
 * keeps tab and newline. CRLF from web forms becomes LF.
 */

// C0 controls, DEL and C1 controls (C1 holds the 8-bit CSI escape, U+009B).
const lineControls = /[\u0000-\u001f\u007f-\u009f]/;
const blockControls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// A lone surrogate cannot be encoded as UTF-8: protobuf would replace it silently.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface TextRule {
  /** The field's name in messages, e.g. "title". */
  field: string;
  /** Longest value in characters (code points). */
  maxLength: number;
  /** Whether the value may be empty after trimming. */
  required?: boolean;
  /** "line": no control characters; "block": tab and newline allowed. */
  kind: "line" | "block";
}

/** The value as stored, or an invalid_argument error naming the field and what is wrong. */
export function checkText(raw: string, rule: TextRule): string {
  const value = rule.kind === "line" ? raw.trim() : raw.replace(/\r\n/g, "\n");
  if (rule.required && value === "") throw new KinoError("invalid_argument", `${rule.field} must not be empty`);
  const length = [...value].length;
  if (length > rule.maxLength) {
    throw new KinoError("invalid_argument", `${rule.field} must be at most ${rule.maxLength} characters, got ${length}`);
  }
  const control = (rule.kind === "line" ? lineControls : blockControls).exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    const allowed = rule.kind === "line" ? "" : " other than tab and newline";
    throw new KinoError(
      "invalid_argument",
      `${rule.field} must not contain control characters${allowed}: found U+${code} at character ${[...value.slice(0, control.index)].length + 1}`,
    );
  }
  if (loneSurrogate.test(value)) throw new KinoError("invalid_argument", `${rule.field} is not valid Unicode text (a lone surrogate)`);
  return value;
}

/**
 * `text` cut to at most `maxLength` UTF-16 units, with an ellipsis when cut:
 * for messages that quote input or travel in headers and trailers, whose
 * size must not follow what a client sent.
 */
export function truncateText(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
